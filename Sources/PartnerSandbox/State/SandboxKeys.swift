import Crypto
import Foundation

/// Deterministic credentials for seeded and synthetic sandbox data. They are sandbox
/// secrets: the sandbox prints them so users can point wabaform at it, and they open
/// nothing but the sandbox.
enum SandboxKeys {
    static func derived(_ label: String) -> String {
        let digest = SHA256.hash(data: Data("wabaform-sandbox:\(label)".utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    static func partnerKey(partnerID: String) -> String { "sbx_pk_" + derived("partner:\(partnerID)") }
    static func channelKey(channelID: String) -> String { "sbx_ck_" + derived("channel:\(channelID)") }
    static func minted(channelID: String, serial: Int) -> String {
        "sbx_ck_" + derived("channel:\(channelID):minted:\(serial)")
    }
    static func token(serial: Int, salt: String) -> String { "sbx_tk_" + derived("token:\(serial):\(salt)") }
}
