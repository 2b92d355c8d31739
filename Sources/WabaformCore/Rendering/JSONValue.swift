import PartnerAPIRules

/// A JSON value with a deterministic writer: object keys sorted, two-space indentation,
/// `"key" : value`, no escaped slashes. Faster than JSONSerialization over `[String: Any]`, and
/// typed, so a renderer cannot emit anything but JSON.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])
    /// An object whose members are already in key order (checked in debug builds): the same
    /// output as `.object`, without hashing and sorting — for the per-change objects of
    /// six-figure plans.
    case sortedObject([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Pretty-printed, with a trailing newline.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0, pretty: true)
        return out + "\n"
    }

    /// On one line, no spaces.
    public func compact() -> String {
        var out = ""
        write(to: &out, indent: 0, pretty: false)
        return out
    }

    func write(to out: inout String, indent: Int, pretty: Bool) {
        switch self {
        case .string(let string): Self.quote(string, into: &out)
        case .int(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                if pretty { Self.newline(&out, indent + 2) }
                item.write(to: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { Self.newline(&out, indent) }
            out += "]"
        case .object(let members):
            Self.writeMembers(
                members.sorted(by: { $0.key < $1.key }).map { Member($0.key, $0.value) }, to: &out, indent: indent, pretty: pretty)
        case .sortedObject(let members):
            assert(
                zip(members, members.dropFirst()).allSatisfy { $0.key < $1.key }, "sortedObject keys out of order: \(members.map(\.key))")
            Self.writeMembers(members, to: &out, indent: indent, pretty: pretty)
        }
    }

    private static func writeMembers(_ members: [Member], to out: inout String, indent: Int, pretty: Bool) {
        if members.isEmpty {
            out += "{}"
            return
        }
        out += "{"
        var first = true
        for member in members {
            if !first { out += "," }
            first = false
            if pretty { newline(&out, indent + 2) }
            quote(member.key, into: &out)
            out += pretty ? " : " : ":"
            member.value.write(to: &out, indent: indent + 2, pretty: pretty)
        }
        if pretty { newline(&out, indent) }
        out += "}"
    }

    static func newline(_ out: inout String, _ indent: Int) {
        out += indent < indents.count ? indents[indent] : "\n" + String(repeating: " ", count: indent)
    }

    /// "\n" and the spaces of each indent a plan reaches, made once.
    private static let indents: [String] = (0..<24).map { "\n" + String(repeating: " ", count: $0) }

    static func quote(_ string: String, into out: inout String) { JSONText.quote(string, into: &out) }

    /// A JSON string literal.
    static func quoted(_ string: String) -> String { JSONText.quoted(string) }
}
