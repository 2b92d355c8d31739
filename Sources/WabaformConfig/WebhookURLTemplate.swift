/// A webhook URL that may hold per-channel placeholders: `{channel_id}`, `{client_id}`,
/// `{phone_number}`, `{waba_id}`. The config loader has already checked that it uses no
/// other placeholder and that every filled URL passes `WebhookURLRule`.
public struct WebhookURLTemplate: Sendable, Hashable, CustomStringConvertible {
    /// The placeholder names, without braces.
    public static let placeholders = ["channel_id", "client_id", "phone_number", "waba_id"]

    /// The values the validator substitutes to check a template against `WebhookURLRule`.
    static let sampleValues = [
        "channel_id": "abcCH", "client_id": "abcCL", "phone_number": "4915112345678", "waba_id": "123456789012345",
    ]

    /// The URL as written (after `${VAR}` expansion), placeholders unfilled.
    public let template: String
    /// `template` read once: a plan fills the same template for every channel it covers.
    private let tokens: [Token]

    public init(_ template: String) {
        self.template = template
        tokens = Self.tokens(of: template)
    }

    public static func == (left: Self, right: Self) -> Bool { left.template == right.template }
    public func hash(into hasher: inout Hasher) { hasher.combine(template) }

    public var description: String { template }

    /// True when the URL has a placeholder, so it differs from channel to channel.
    public var hasPlaceholders: Bool { !placeholdersUsed.isEmpty }

    /// The known placeholders the template uses, in order of first use.
    public var placeholdersUsed: [String] {
        var seen: [String] = []
        for case .placeholder(let name, _) in tokens where !seen.contains(name) {
            seen.append(name)
        }
        return seen
    }

    /// The URL for one channel. Values are inserted as they are (channel, client and
    /// WABA ids are alphanumeric; the phone number is digits).
    public func fill(channelID: String, clientID: String, phoneNumber: String, wabaID: String) -> String {
        fill { name in
            switch name {
            case "channel_id": channelID
            case "client_id": clientID
            case "phone_number": phoneNumber
            case "waba_id": wabaID
            default: nil
            }
        }
    }

    func fill(_ values: [String: String]) -> String { fill { values[$0] } }

    /// The template with each placeholder replaced by `value(name)`; one without a value stays.
    private func fill(_ value: (String) -> String?) -> String {
        var out = ""
        for token in tokens {
            switch token {
            case .literal(let text): out += text
            case .placeholder(let name, _): out += value(name) ?? "{\(name)}"
            case .unknown(let text, _), .unmatched(let text, _): out += text
            }
        }
        return out
    }

    enum Token: Equatable {
        case literal(String)
        /// A known placeholder; the offset (in Unicode scalars) of its `{`.
        case placeholder(String, offset: Int)
        /// `{anything}` that is not a known placeholder, braces included.
        case unknown(String, offset: Int)
        /// A `{` without `}` or a `}` without `{`.
        case unmatched(String, offset: Int)
    }

    static func tokens(of template: String) -> [Token] {
        var tokens: [Token] = []
        var literal = ""
        let scalars = Array(template.unicodeScalars)
        var index = 0
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)); literal = "" }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "{" {
                var close = index + 1
                while close < scalars.count, scalars[close] != "}", scalars[close] != "{" { close += 1 }
                guard close < scalars.count, scalars[close] == "}" else {
                    flush()
                    tokens.append(.unmatched("{", offset: index))
                    index += 1
                    continue
                }
                flush()
                var name = ""
                name.unicodeScalars.append(contentsOf: scalars[(index + 1)..<close])
                tokens.append(
                    placeholders.contains(name)
                        ? .placeholder(name, offset: index) : .unknown("{\(name)}", offset: index))
                index = close + 1
            } else if scalar == "}" {
                flush()
                tokens.append(.unmatched("}", offset: index))
                index += 1
            } else {
                literal.unicodeScalars.append(scalar)
                index += 1
            }
        }
        flush()
        return tokens
    }
}
