/// The text of one config file, split into lines the way libyaml counts them, so that
/// Yams marks (1-based line and column, columns in Unicode scalars) index into it.
struct SourceFile: Sendable {
    /// As the user named it (or as found in a directory they named).
    let path: String
    let text: String
    /// Where each line's content (without its line break) lies in `text.unicodeScalars`.
    /// Only the bounds are kept: the lines as arrays of scalars were 7 times the text (21 MB
    /// for a 2.9 MB config of 25,000 rules, held for the whole run), and only diagnostics and
    /// a few position checks read them.
    private let lineBounds: [Range<String.Index>]

    /// A leading byte order mark is dropped: libyaml would read it as content once the
    /// encoding is set, and editors do not count it as a column.
    init(path: String, text: String) {
        self.path = path
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        self.text = text
        let scalars = text.unicodeScalars
        var bounds: [Range<String.Index>] = []
        var start = scalars.startIndex, index = scalars.startIndex
        var previousWasCR = false
        while index < scalars.endIndex {
            let scalar = scalars[index], next = scalars.index(after: index)
            defer { index = next }
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                start = next
                continue
            }
            previousWasCR = scalar == "\r"
            // libyaml's line breaks: LF, CR, CRLF, NEL, LS, PS.
            if scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                bounds.append(start..<index)
                start = next
            }
        }
        bounds.append(start..<scalars.endIndex)
        self.lineBounds = bounds
    }

    var lineCount: Int { lineBounds.count }

    /// Each line without its line break, as Unicode scalars, made as it is read.
    var lines: LazyMapSequence<[Range<String.Index>], [Unicode.Scalar]> {
        lineBounds.lazy.map { [text] in Array(text.unicodeScalars[$0]) }
    }

    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: path, line: line, column: column)
    }

    func line(_ number: Int) -> [Unicode.Scalar]? {
        number >= 1 && number <= lineBounds.count ? Array(text.unicodeScalars[lineBounds[number - 1]]) : nil
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
