/// Phone numbers as the Partner API stores them in `setup_info.phone_number`: digits only,
/// with the country code and without `+`, spaces or punctuation [doc examples].
public enum PhoneNumber {
    /// `"+49 151 1234 5678"` -> `"4915112345678"`.
    public static func normalized(_ string: String) -> String {
        String(string.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }
            .map(Character.init))
    }
}
