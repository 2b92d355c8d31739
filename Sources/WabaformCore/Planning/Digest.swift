import Crypto
import Foundation
import WabaformConfig

/// Salted SHA-256 digests of values that may hold secrets (webhook header values), so a
/// saved plan can prove "this is the value the plan was computed from" without holding it.
/// The salt is random per saved plan, so equal secrets in two plans do not share a digest.
public struct Digester: Sendable, Equatable {
    public let salt: String

    public init(salt: String) { self.salt = salt }

    /// A new random salt.
    public static func random() -> Digester {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Digester(salt: bytes.map { String(format: "%02x", $0) }.joined())
    }

    public func digest(_ canonical: String) -> String {
        let hash = SHA256.hash(data: Data((salt + "\n" + canonical).utf8))
        return "sha256:" + hash.map { String(format: "%02x", $0) }.joined()
    }

    public func digest(_ value: PlanValue) -> String { digest(Self.canonical(value)) }

    /// The digest of the resolved config: every managed value, header values included.
    /// Formatting, comments and file layout do not change it; values and rules do.
    public func digest(_ config: DesiredConfig, partnerID: String) -> String {
        digest(Self.canonical(config, partnerID: partnerID))
    }

    static func canonical(_ value: PlanValue) -> String {
        switch value {
        case .none: "none"
        case .text(let text): "text:" + Normalize.url(text)
        case .region(let code): "region:" + code.uppercased()
        case .webhook(let url, let headers):
            "webhook:" + Normalize.url(url) + "\n"
                + headers.sorted { $0.name.lowercased() < $1.name.lowercased() }
                .map { "header:" + $0.name.lowercased() + "=" + $0.value.revealed }.joined(separator: "\n")
        }
    }

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
        return lines.joined(separator: "\n")
    }
}
