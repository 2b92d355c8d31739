/// One `path: value` pair of a `select` map. The value is one pattern or a list of them:
/// a field matches when its value matches any plain pattern (or there is none) and none of
/// the `!` patterns. So `status: ready` is "ready", `[ready, live]` is "ready or live",
/// `"!pending"` is "anything but pending", and `["!pending", "!draft"]` is "neither".
/// A channel without the field matches no `select` entry for it, negated or not: what is
/// not known is not selected.
public struct FieldMatch: Sendable, Hashable, CustomStringConvertible {
    /// A dotted path from `ChannelFieldPath.all`, e.g. `client.name`.
    public let path: String
    /// As written, in order; at least one.
    public let values: [SelectValue]

    public init(path: String, values: [SelectValue]) {
        self.path = path
        self.values = values
    }

    /// One plain pattern.
    public init(path: String, pattern: GlobPattern) {
        self.init(path: path, values: [SelectValue(pattern: pattern)])
    }

    /// Whether a channel's value of `path` (nil when the channel has none) matches.
    public func matches(_ value: String?) -> Bool {
        guard let value else { return false }
        var sawPlain = false, matchedPlain = false
        for entry in values {
            if entry.negated {
                if entry.pattern.matches(value) { return false }
            } else {
                sawPlain = true
                matchedPlain = matchedPlain || entry.pattern.matches(value)
            }
        }
        return !sawPlain || matchedPlain
    }

    /// `path: "value"`, or `path: ["a", "!b"]` for a list.
    public var description: String {
        let shown = values.map { "\"\($0)\"" }
        return "\(path): " + (shown.count == 1 ? shown[0] : "[" + shown.joined(separator: ", ") + "]")
    }
}

/// One value of a `select` entry: a glob, maybe negated (written as a quoted `"!value"`).
public struct SelectValue: Sendable, Hashable, CustomStringConvertible {
    public let pattern: GlobPattern
    public let negated: Bool

    public init(pattern: GlobPattern, negated: Bool = false) {
        self.pattern = pattern
        self.negated = negated
    }

    /// As written: `Acme*` or `!pending`.
    public var description: String { (negated ? "!" : "") + pattern.pattern }
}
