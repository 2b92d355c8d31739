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
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                if pretty { Self.newline(&out, indent + 2) }
                Self.quote(key, into: &out)
                out += pretty ? " : " : ":"
                members[key]!.write(to: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { Self.newline(&out, indent) }
            out += "}"
        }
    }

    static func newline(_ out: inout String, _ indent: Int) {
        out += "\n"
        out += String(repeating: " ", count: indent)
    }

    static func quote(_ string: String, into out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// A JSON string literal.
    static func quoted(_ string: String) -> String {
        var out = ""
        quote(string, into: &out)
        return out
    }
}
