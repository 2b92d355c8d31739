import Foundation
import PartnerAPIRules

/// Cuts secret values out of text meant for the user: the secrets a request carried, and
/// every other secret the process knows (`SecretRedactor`), in their common encodings and
/// as prefixes of 6 or more characters.
enum Redaction {
    static func redact(_ text: String, secrets: [Secret]) -> String {
        var text = text
        for secret in secrets where secret.revealed.count >= SecretRedactor.minimumLength {
            text = text.replacingOccurrences(of: secret.revealed, with: SecretRedactor.placeholder)
        }
        return SecretRedactor.shared.redact(text)
    }
}
