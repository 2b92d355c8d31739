import PartnerAPIRules

/// A value the client refuses to send, checked with the same rules (`PartnerAPIRules`) as
/// `wabaform validate`: a URL with a control, invisible or bidirectional character or no
/// host, a header name that is not an HTTP token, a header value with a control character.
/// Nothing is sent; the message names the rule, never the value.
public struct UnsendableValue: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var problem: String

    public var description: String { "\(operation) not sent: \(problem)" }

    /// Throws when `url` or `headers` break a rule that holds for every write.
    static func check(operation: String, url: String, headers: [String: Secret]? = nil) throws {
        for violation in WebhookURLRule.violations(of: url) {
            switch violation {
            case .invisibleCharacter, .missingHost: throw UnsendableValue(operation: operation, problem: "the URL \(violation)")
            default: continue
            }
        }
        for (name, value) in (headers ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard HeaderRule.isValidName(name) else {
                throw UnsendableValue(operation: operation, problem: "'\(TerminalText.escaped(name))' is not a valid HTTP header name")
            }
            if let problem = HeaderRule.valueProblem(value.revealed) {
                throw UnsendableValue(operation: operation, problem: "header \(name) value \(problem)")
            }
        }
    }
}
