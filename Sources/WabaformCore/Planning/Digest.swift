import Crypto
import Foundation
import WabaformConfig

/// Digests of values that may hold secrets (webhook header values), so a saved plan can
/// prove "this is the value the plan was computed from" without holding it.
///
/// A saved plan's digests are keyed (`init(salt:credentials:)`): HMAC-SHA256 under a key
/// derived (HKDF) from the partner credential, which plan and apply both have and the plan
/// file never holds, and the plan's random salt. So the plan file alone cannot confirm a
/// guessed secret: without the credential, no guess can be checked offline. The unkeyed
/// form (`init(salt:)`, salted SHA-256) is only for comparisons inside one run.
public struct Digester: Sendable, Equatable {
    public let salt: String
    /// The HMAC key's bytes; nil = salted SHA-256.
    private let key: [UInt8]?

    public init(salt: String) {
        self.salt = salt
        self.key = nil
    }

    /// Keyed by the partner credential (the partner key, or user name and password).
    public init(salt: String, credentials: PartnerCredentials) {
        let material: String =
            switch credentials {
            case .apiKey(let key): "api-key\n" + key.revealed
            case .password(let username, let password): "password\n" + username + "\n" + password.revealed
            }
        self.salt = salt
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(material.utf8)), salt: Data(salt.utf8),
            info: Data("wabaform saved plan digest v2".utf8), outputByteCount: 32)
        self.key = derived.withUnsafeBytes { Array($0) }
    }

    /// A new random salt, keyed by `credentials` when given.
    public static func random(credentials: PartnerCredentials? = nil) -> Digester {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let salt = bytes.map { String(format: "%02x", $0) }.joined()
        guard let credentials else { return Digester(salt: salt) }
        return Digester(salt: salt, credentials: credentials)
    }

    public func digest(_ canonical: String) -> String {
        if let key {
            let mac = HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: SymmetricKey(data: key))
            return "hmac-sha256:" + mac.map { String(format: "%02x", $0) }.joined()
        }
        let hash = SHA256.hash(data: Data((salt + "\n" + canonical).utf8))
        return "sha256:" + hash.map { String(format: "%02x", $0) }.joined()
    }

    public func digest(_ value: PlanValue) -> String { digest(Self.canonical(value)) }

    /// The digest of the resolved config: every managed value, header values included.
    /// Formatting, comments and file layout do not change it; values and rules do.
    public func digest(_ config: DesiredConfig, partnerID: String) -> String {
        digest(Self.canonical(config, partnerID: partnerID))
    }

    static func canonical(_ value: PlanValue) -> String { value.canonical }

    static func canonical(_ config: DesiredConfig, partnerID: String) -> String {
        var lines = ["partner:" + partnerID]
        if let partner = config.partner {
            lines.append("partner.webhook_url:" + (partner.webhookURL ?? "-"))
            lines.append("partner.redirect_url:" + (partner.redirectURL ?? "-"))
            lines.append("partner.default_local_storage:" + (partner.defaultLocalStorage?.description ?? "-"))
        }
        for rule in config.channelRules {
            var line = "rule:" + rule.selector.description
            if let webhook = rule.webhook {
                line += "|webhook:" + webhook.urlTemplate.template
                for header in webhook.headers { line += "|header:" + header.name + "=" + header.value.revealed }
            }
            if let storage = rule.localStorage { line += "|local_storage:" + storage.description }
            for attribute in rule.unmanaged.sorted() { line += "|\(attribute):unmanaged" }
            lines.append(line)
        }
        // Absent without `wabas:`, so the digest of a config without them is as before.
        for rule in config.wabaRules {
            var line = "waba_rule:" + rule.selector.description + "|webhook:" + rule.webhook.urlTemplate.template
            for header in rule.webhook.headers { line += "|header:" + header.name + "=" + header.value.revealed }
            line += "|override_all:\(rule.webhook.overrideAll)"
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
