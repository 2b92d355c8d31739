import Foundation
import PartnerAPIRules

/// Data goes to stdout; progress, warnings and logs to stderr.
///
/// Everything passes `SecretRedactor` on its way out: whatever a message holds, no known
/// secret (or its base64, URL or JSON form, or a prefix of 6+ characters) is printed.
/// stderr is for people, so it is also made safe for a terminal: control, bidirectional and
/// zero-width characters a message carries are shown escaped (wabaform's own colours and
/// line erasing pass). stdout stays exact: JSON keeps its own escaping, and the text and
/// Markdown renderers escape what they show.
enum StandardStreams {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(SecretRedactor.shared.redact(text).utf8))
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(TerminalText.sanitizedForTerminal(SecretRedactor.shared.redact(text)).utf8))
    }

    /// One line when the API throttled answers during the run, so slowness has a visible
    /// cause; nothing when it did not.
    static func writeThrottled(_ count: Int) {
        guard count > 0 else { return }
        let answers = count == 1 ? "1 answer" : "\(count) answers"
        writeError("note: the API throttled \(answers) (429 or the usage-limit 400); wabaform waited and paced its requests\n")
    }
}
