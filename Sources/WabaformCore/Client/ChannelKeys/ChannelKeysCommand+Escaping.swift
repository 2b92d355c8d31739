import PartnerAPIRules

/// Text from the user or the helper on its way to a terminal: control, bidirectional and
/// zero-width characters are shown escaped (`\u{1B}`), so they cannot move the cursor,
/// reorder a line or hide text. Tabs stay.
extension ChannelKeysCommand {
    static func escaped(_ text: String) -> String { TerminalText.codePoints(text, keepingTabs: true) }
}
