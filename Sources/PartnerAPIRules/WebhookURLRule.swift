import Foundation

/// 360dialog's rules for a webhook URL [doc]: `https` only, no underscore in the host,
/// no explicit port. `https://your_webhook.example.com` and `https://sub.example.com:3000`
/// are invalid.
public enum WebhookURLRule {
    /// A reason a URL breaks the rules.
    public enum Violation: Equatable, Sendable, CustomStringConvertible {
        case malformed
        case notHTTPS(scheme: String)
        case missingHost
        case underscoreInHost(host: String)
        case explicitPort(port: Int)
        case hasCredentials
        /// A control, invisible or bidirectional character (a zero-width space makes a
        /// look-alike host), as `U+200B`.
        case invisibleCharacter(codePoint: String)

        public var description: String {
            switch self {
            case .malformed:
                "is not a valid URL; write it as https://host/path"
            case .notHTTPS(let scheme):
                "must use https, not \(scheme.isEmpty ? "no scheme" : scheme)"
            case .missingHost:
                "has no host; write it as https://host/path"
            case .underscoreInHost(let host):
                "host \"\(host)\" contains \"_\", which 360dialog rejects; use \"-\" instead"
            case .explicitPort(let port):
                "has an explicit port (:\(port)), which 360dialog rejects; serve it on 443 and drop the port"
            case .hasCredentials:
                "must not carry a user name or password"
            case .invisibleCharacter(let codePoint):
                "contains the invisible or control character \(codePoint), which can make a look-alike host; retype the URL without it"
            }
        }
    }

    /// Which URL a value is: a webhook URL, held to every rule, or another https URL the API
    /// takes (a redirect URL), to which the webhook endpoint's own rules (no `_` in the host,
    /// no explicit port) do not apply.
    public enum Kind: Sendable {
        case webhook, https
    }

    /// Every rule of `kind` the URL breaks, in a fixed order; empty when it is acceptable.
    public static func violations(of string: String, as kind: Kind) -> [Violation] {
        let all = violations(of: string)
        guard kind == .https else { return all }
        return all.filter {
            switch $0 {
            case .underscoreInHost, .explicitPort: false
            default: true
            }
        }
    }

    /// Every rule the URL breaks, in a fixed order; empty when it is acceptable.
    public static func violations(of string: String) -> [Violation] {
        if let hidden = string.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F || TerminalText.isInvisibleOrBidi($0) }) {
            return [.invisibleCharacter(codePoint: codePoint(hidden))]
        }
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        guard trimmed == string, !string.isEmpty, !string.contains(" "),
            let components = URLComponents(string: string)
        else { return [.malformed] }
        var found: [Violation] = []
        let scheme = components.scheme?.lowercased() ?? ""
        if scheme != "https" { found.append(.notHTTPS(scheme: scheme)) }
        guard let host = components.host, !host.isEmpty, !["[]", "[", "]"].contains(host) else {
            found.append(.missingHost)
            return found
        }
        if components.user != nil || components.password != nil { found.append(.hasCredentials) }
        if host.contains("_") { found.append(.underscoreInHost(host: host)) }
        if let port = components.port { found.append(.explicitPort(port: port)) }
        return found
    }

    /// `U+200B`: how messages name a character they must not print.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The URL in the form used to compare desired and live values: scheme and host
    /// lower-cased, everything else exactly as written.
    public static func normalized(_ string: String) -> String {
        // String work, not URLComponents: this runs twice per channel in a plan (100,000
        // channels), and parsing dominated the planner's CPU. Scheme and host are the text up
        // to the end of the authority; a user name or password before "@" keeps its case.
        let utf8 = Array(string.utf8)
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
            utf8.count > colon + 2, utf8[colon + 1] == UInt8(ascii: "/"), utf8[colon + 2] == UInt8(ascii: "/")
        else { return string }
        let authorityStart = colon + 3
        var authorityEnd = authorityStart
        while authorityEnd < utf8.count, ![UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#")].contains(utf8[authorityEnd]) {
            authorityEnd += 1
        }
        var hostStart = authorityStart
        if let at = utf8[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) { hostStart = at + 1 }
        func isUpper(_ byte: UInt8) -> Bool { byte >= 65 && byte <= 90 }
        guard utf8[..<colon].contains(where: isUpper) || utf8[hostStart..<authorityEnd].contains(where: isUpper) else { return string }
        var bytes = utf8
        for index in 0..<colon where isUpper(bytes[index]) { bytes[index] += 32 }
        for index in hostStart..<authorityEnd where isUpper(bytes[index]) { bytes[index] += 32 }
        return String(decoding: bytes, as: UTF8.self)
    }
}
