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
        escapeScalars(of: string, into: &out) { scalar in
            guard scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 else { return nil }
            return "\\u" + hex(scalar.value, width: 4, uppercase: false)
        }
        out += "\""
    }

    /// The backslash escapes JSON and YAML's double-quoted style share (`\"`, `\\`, `\n`,
    /// `\r`, `\t`) appended for `text`; `escape` gives the escape of any other scalar that
    /// needs one (nil: written as itself). The caller writes the quotes.
    public static func escapeScalars(of text: String, into out: inout String, escape: (Unicode.Scalar) -> String?) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if let escaped = escape(scalar) { out += escaped } else { out.unicodeScalars.append(scalar) }
            }
        }
    }

    /// `value` in hexadecimal, zero-padded to `width` digits.
    public static func hex(_ value: UInt32, width: Int, uppercase: Bool) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `string` as a JSON string literal.
    public static func quoted(_ string: String) -> String {
        var out = ""
        quote(string, into: &out)
        return out
    }
}
