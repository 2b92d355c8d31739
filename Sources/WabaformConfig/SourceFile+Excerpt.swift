extension SourceFile {
    /// Longest excerpt printed; longer lines are cut around the caret.
    static let maxExcerptWidth = 160

    /// The line of `location` for a diagnostic, with every part covered by `sensitive`
    /// spans replaced by `(sensitive)` and control characters by `?`. None for an empty
    /// line (the end of the file, say): there is nothing to point at.
    func excerpt(for location: SourceLocation, sensitive: [(start: YAMLPosition, end: YAMLPosition)]) -> Diagnostic.Excerpt? {
        guard !location.isWholeFile, let line = line(location.line), !line.isEmpty else { return nil }
        var ranges: [Range<Int>] = [] // 0-based scalar offsets to hide
        for span in sensitive where span.start.line <= location.line && location.line <= span.end.line {
            let from = span.start.line == location.line ? span.start.column - 1 : 0
            let to = span.end.line == location.line ? span.end.column - 1 : line.count
            let lower = max(0, min(from, line.count)), upper = max(lower, min(to, line.count))
            guard lower < upper, line[lower..<upper].contains(where: { !$0.properties.isWhitespace }) else { continue }
            ranges.append(lower..<upper)
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var text = String.UnicodeScalarView()
        var caret = location.column
        var index = 0
        var rangeIndex = 0
        while index < line.count {
            if rangeIndex < ranges.count, index >= ranges[rangeIndex].lowerBound {
                let range = ranges[rangeIndex]
                rangeIndex += 1
                guard index < range.upperBound else { continue }
                let placeholder = "(sensitive)".unicodeScalars
                // Columns after the hidden part move by the difference in length.
                if location.column - 1 >= range.upperBound {
                    caret += placeholder.count - (range.upperBound - index)
                } else if location.column - 1 >= index {
                    caret = text.count + 1
                }
                text.append(contentsOf: placeholder)
                index = range.upperBound
                continue
            }
            let scalar = line[index]
            text.append(scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F ? "?" : scalar)
            index += 1
        }
        var scalars = Array(text)
        if scalars.count > Self.maxExcerptWidth {
            let start = max(0, min(caret - 1 - Self.maxExcerptWidth / 2, scalars.count - Self.maxExcerptWidth))
            scalars = Array(scalars[start..<min(scalars.count, start + Self.maxExcerptWidth)])
            caret -= start
            if start > 0 {
                scalars.replaceSubrange(0..<3, with: "...".unicodeScalars)
            }
        }
        return Diagnostic.Excerpt(line: String(String.UnicodeScalarView(scalars)), caretColumn: max(1, caret))
    }
}
