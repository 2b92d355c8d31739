/// The text of one config file, split into lines the way libyaml counts them, so that
/// Yams marks (1-based line and column, columns in Unicode scalars) index into it.
struct SourceFile: Sendable {
    /// As the user named it (or as found in a directory they named).
    let path: String
    let text: String
    /// Each line without its line break, as Unicode scalars.
    let lines: [[Unicode.Scalar]]

    /// A leading byte order mark is dropped: libyaml would read it as content once the
    /// encoding is set, and editors do not count it as a column.
    init(path: String, text: String) {
        self.path = path
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        self.text = text
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            // libyaml's line breaks: LF, CR, CRLF, NEL, LS, PS.
            if scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                lines.append(current)
                current = []
            } else {
                current.append(scalar)
            }
        }
        lines.append(current)
        self.lines = lines
    }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: path, line: line, column: column)
    }

    func line(_ number: Int) -> [Unicode.Scalar]? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    /// The 1-based line and column of a Unicode-scalar offset into `text`.
    func position(ofScalarOffset offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1, previousWasCR = false
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index >= offset { break }
            if scalar == "\n", previousWasCR { previousWasCR = false; continue }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
