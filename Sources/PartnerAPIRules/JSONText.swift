/// JSON string literals, written by hand where output must be byte-for-byte stable (plans,
/// diagnostics): one escaping for every JSON wabaform writes.
///
/// Escapes `"`, `\`, every control character (U+0000–U+001F) and the line and paragraph
/// separators U+2028/U+2029 (valid JSON, but they break JavaScript and some viewers); every
/// other character is written as itself, so JSON output stays exact.
public enum JSONText {
    /// `string` as a JSON string literal, appended to `out`.
    public static func quote(_ string: String, into out: inout String) {
        out += "\""
        // Almost every string needs no escape: append it whole. (0xE2 starts U+2028/U+2029.)
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            out += string
            out += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `string` as a JSON string literal.
    public static func quoted(_ string: String) -> String {
        var out = ""
        quote(string, into: &out)
        return out
    }
}
