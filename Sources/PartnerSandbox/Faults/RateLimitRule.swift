import Foundation

/// One real rate limit of the sandbox (`--rate-limit [SCOPE=]N/WINDOW`): at most `limit` API
/// requests in any `window` (a sliding window), counted apart for each key of `scope`.
/// Refused requests do not count. A refusal is answered as the real API does: `429` with
/// `Retry-After` (the seconds until a request would pass) on the Partner API, the `400`
/// usage-limit answer without `Retry-After` on the Messaging API.
public struct RateLimitRule: Sendable, Equatable, CustomStringConvertible {
    public enum Scope: String, Sendable, CaseIterable {
        /// Each API (the Partner API, the Messaging API: two hosts in production), every caller.
        case host
        /// Each Partner API credential (the partner key, each bearer token).
        case partner
        /// Each channel key (`D360-API-KEY`) on the Messaging API.
        case channel
    }

    public var scope: Scope
    public var limit: Int
    public var window: Duration

    public init(scope: Scope, limit: Int, window: Duration) {
        self.scope = scope
        self.limit = limit
        self.window = window
    }

    public var description: String {
        let (seconds, atto) = window.components
        let text = atto == 0 ? "\(seconds)s" : "\(seconds * 1_000 + atto / 1_000_000_000_000_000)ms"
        return "\(scope.rawValue)=\(limit)/\(text)"
    }

    /// Parses `[SCOPE=]N/WINDOW`: SCOPE `host` (the default), `partner` or `channel`; N a whole
    /// number 1–1,000,000; WINDOW a number with `ms`, `s`, `m` or `h` (a bare number is
    /// seconds), 1 ms to 24 h. The error names what is wrong, never echoing more than the input.
    public static func parse(_ text: String) -> Result<RateLimitRule, ParseError> {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var scope = Scope.host
        if let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].lowercased()
            guard let parsed = Scope(rawValue: name) else {
                return .failure(ParseError("the scope must be host, partner or channel"))
            }
            scope = parsed
            rest = rest[rest.index(after: equals)...]
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(ParseError("expected N/WINDOW, e.g. 5/30s or channel=20/1s")) }
        guard let limit = Int(parts[0]), (1...1_000_000).contains(limit) else {
            return .failure(ParseError("the number of requests must be a whole number from 1 to 1000000"))
        }
        guard let window = Self.window(parts[1]), window >= .milliseconds(1), window <= .seconds(86_400) else {
            return .failure(ParseError("the window must be 1ms to 24h, e.g. 1s, 30s, 500ms, 1m"))
        }
        return .success(RateLimitRule(scope: scope, limit: limit, window: window))
    }

    private static func window(_ text: Substring) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600)]
        var number = text, scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value > 0, value <= 86_400 / scale else { return nil }
        return .milliseconds(Int64((value * scale * 1_000).rounded()))
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
