import PartnerAPIRules
/// How diagnostics are printed: pure functions from diagnostics to text.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    case text
    case json
}

extension Diagnostic {
    /// `FILE:LINE:COLUMN: error: MESSAGE`, then the source line and a caret under the
    /// column, like swift and clang. Whole-file diagnostics have no line, column or excerpt.
    public var renderedText: String {
        // The message may quote config text: shown escaped, so it stays one line and
        // cannot steer the terminal. JSON keeps it exact.
        var out = "\(TerminalText.escaped(location.description)): \(severity.rawValue): \(TerminalText.escaped(message))\n"
        if let excerpt {
            out += excerpt.line + "\n"
            // Keep the tabs of the source line so the caret lines up under it.
            var caret = ""
            for (offset, scalar) in excerpt.line.unicodeScalars.enumerated() where offset < excerpt.caretColumn - 1 {
                caret.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
            }
            let missing = excerpt.caretColumn - 1 - caret.unicodeScalars.count
            if missing > 0 { caret += String(repeating: " ", count: missing) }
            out += caret + "^\n"
        }
        return out
    }

    /// `{"file": ..., "line": ..., "column": ..., "severity": ..., "message": ...}` with the
    /// keys in that order. Whole-file diagnostics have line and column 0.
    public var renderedJSON: String {
        "{\"file\": \(JSONText.quoted(location.file)), \"line\": \(location.line), "
            + "\"column\": \(location.column), \"severity\": \"\(severity.rawValue)\", "
            + "\"message\": \(JSONText.quoted(message))}"
    }

    /// Every diagnostic as text, one after another.
    public static func renderText(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(\.renderedText).joined()
    }

    /// A JSON array of diagnostics, one object per line, ending with a newline.
    public static func renderJSON(_ diagnostics: [Diagnostic]) -> String {
        if diagnostics.isEmpty { return "[]\n" }
        return "[\n" + diagnostics.map { "  " + $0.renderedJSON }.joined(separator: ",\n") + "\n]\n"
    }
}
