import PartnerAPIRules

/// Text from the API or the user's files, made safe for a terminal in the doctor's report:
/// control characters, bidirectional overrides and zero-width characters are written as
/// `\u{…}` (`TerminalText.codePoints`), so an API message cannot move the cursor, recolour
/// the screen or reorder what the user reads.
enum DoctorText {
    static func safe(_ text: String) -> String { TerminalText.codePoints(text) }
}
