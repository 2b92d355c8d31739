/// Text from the API or the user's files, made safe for a terminal: control characters,
/// bidirectional overrides and zero-width characters are written as `\u{…}`, so an API
/// message cannot move the cursor, recolour the screen or reorder what the user reads.
enum DoctorText {
    static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 and C1 controls, DEL
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidi marks, embeddings, overrides, isolates
        case 0x200B...0x200D, 0x2060, 0xFEFF: true  // zero-width space, joiners, word joiner, BOM
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: false
        }
    }
}
