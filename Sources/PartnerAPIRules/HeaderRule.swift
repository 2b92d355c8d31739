/// What an HTTP header of a webhook may hold: a name of token characters (RFC 9110:
/// letters, digits and ``!#$%&'*+-.^_`|~``) and a value without control characters (a line
/// break would end the header and start another; tabs are allowed). The config validator
/// and the client both check with these, so a value that fails here is never sent.
public enum HeaderRule {
    public static let nameCharacters = "letters, digits and !#$%&'*+-.^_`|~ only"

    public static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy(isTokenCharacter)
    }

    /// Why a value cannot be sent, naming the character but never quoting the value; nil
    /// when it can.
    public static func valueProblem(_ value: String) -> String? {
        guard let bad = value.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) })
        else { return nil }
        let what = bad == "\n" || bad == "\r" ? "a line break" : "the control character \(WebhookURLRule.codePoint(bad))"
        return "contains \(what), which an HTTP header cannot carry"
    }
}
