/// Phone numbers as the Partner API stores them in `setup_info.phone_number`: digits only,
/// with the country code and without `+`, spaces or punctuation [doc examples].
public enum PhoneNumber {
    /// At most this many digits (E.164).
    public static let maxDigits = 15

    /// What a number may be written with: digits, an optional leading `+`, spaces, dashes
    /// and parentheses (`+49 (151) 1234-5678`), or a `${VAR}` to expand first: the pattern
    /// of `phone_number` in `schemas/wabaform.schema.json` (a test keeps them the same).
    public static let schemaPattern = #"^(?:\+?[0-9 ()-]*[0-9][0-9 ()-]*|.*\$\{.*)$"#

    /// `"+49 151 1234 5678"` -> `"4915112345678"`.
    /// The ASCII digits, byte by byte: every channel read from the API goes through this, and
    /// looking up Unicode properties scalar by scalar cost about 18,000 instructions a number.
    /// (A byte 0x30–0x39 in UTF-8 is always the ASCII digit itself.)
    public static func normalized(_ string: String) -> String {
        String(decoding: string.utf8.filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }, as: UTF8.self)
    }

    /// Why `string` is not a phone number as written in a config, or nil. `1e3` (which YAML
    /// would otherwise turn into digits) and `+49 151 x` are not.
    public static func problem(_ string: String) -> String? {
        var sawDigit = false
        for (offset, scalar) in string.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9": sawDigit = true
            case " ", "-", "(", ")": continue
            case "+" where offset == 0: continue
            case "+": return "has a + that is not at the start"
            default:
                let shown = scalar.value > 0x20 && scalar.value < 0x7F ? "'\(scalar)'" : WebhookURLRule.codePoint(scalar)
                return "contains \(shown); write digits with an optional leading +, spaces, dashes or parentheses"
            }
        }
        return sawDigit ? nil : "has no digits"
    }
}
