import PartnerAPIRules

/// Cuts secret values out of text meant for the user.
enum Redaction {
    static func redact(_ text: String, secrets: [Secret]) -> String {
        var text = text
        for secret in secrets where secret.revealed.count >= 4 {
            text = text.replacingOccurrences(of: secret.revealed, with: "(sensitive)")
        }
        return text
    }
}
