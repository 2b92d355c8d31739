import PartnerAPIRules

extension SourceFile {
    /// Longest excerpt printed; longer lines are cut around the caret.
    static let maxExcerptWidth = 160

    /// The line of `location` for a diagnostic, with every part covered by `sensitive`
    /// spans, and the text after `:` in a `${VAR:…}` (a default written without `-`, which
    /// may be a pasted secret), replaced by `(sensitive)`, and control, bidirectional and
    /// zero-width characters shown escaped (`\e`, `\u{202E}`). None for an empty line (the
    /// end of the file, say): there is nothing to point at.
    func excerpt(for location: SourceLocation, sensitive: [(start: YAMLPosition, end: YAMLPosition)]) -> Diagnostic.Excerpt? {
        guard !location.isWholeFile, let line = line(location.line), !line.isEmpty else { return nil }
        var ranges: [Range<Int>] = Self.colonDefaults(in: line)  // 0-based scalar offsets to hide
        for span in sensitive where span.start.line <= location.line && location.line <= span.end.line {
            let from = span.start.line == location.line ? span.start.column - 1 : 0
            let to = span.end.line == location.line ? span.end.column - 1 : line.count
            let lower = max(0, min(from, line.count)), upper = max(lower, min(to, line.count))
            guard lower < upper, line[lower..<upper].contains(where: { !$0.properties.isWhitespace }) else { continue }
            ranges.append(lower..<upper)
        }
        ranges = Self.merged(ranges)
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
            if scalar != "\t", TerminalText.isUnsafe(scalar) {
                let shown = TerminalText.escaped(String(scalar)).unicodeScalars
                if location.column - 1 > index { caret += shown.count - 1 }
                text.append(contentsOf: shown)
            } else {
                text.append(scalar)
            }
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

    /// Sorted, with overlapping or touching ranges joined, so each hidden part shows one
    /// `(sensitive)`.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, range.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }

    /// The text after `:` in each `${NAME:…}` whose `:` is not followed by `-`, up to `}`
    /// (or the end of the line).
    static func colonDefaults(in line: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index + 1 < line.count {
            guard line[index] == "$", line[index + 1] == "{", index == 0 || line[index - 1] != "$" else { index += 1; continue }
            var end = index + 2
            while end < line.count, line[end] != "}", line[end] != ":" { end += 1 }
            if end < line.count, line[end] == ":", end + 1 >= line.count || line[end + 1] != "-" {
                var close = end + 1
                while close < line.count, line[close] != "}" { close += 1 }
                if close > end + 1 { ranges.append((end + 1)..<close) }
                end = close
            }
            index = end
        }
        return ranges
    }

    /// A textual guess at where header values are, used on every file whether or not it
    /// parsed, so that no shape of mistake near a header shows its value: after any
    /// `headers`-like key (`headers`, `header`, `hedaers`, `request_headers`, quoted or not,
    /// at any depth), the rest of its line (only the values, in a one-line `{ name: value }`),
    /// every more indented line below it (after the first `: `, or all of it), and the lines
    /// of a flow collection it opens until that closes.
    func textualSensitiveSpans() -> [(start: YAMLPosition, end: YAMLPosition)] {
        var spans: [(start: YAMLPosition, end: YAMLPosition)] = []
        var blockColumn: Int?  // the 0-based column of the key whose block is hidden
        var flowDepth = 0
        var flowColumn = 0  // the key's column: a less indented line ends an unclosed collection
        func hide(_ number: Int, _ from: Int, _ to: Int) {
            if from < to { spans.append((YAMLPosition(line: number, column: from + 1), YAMLPosition(line: number, column: to + 1))) }
        }
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let isBlank = indent == line.count || line[indent] == "#"
            if flowDepth > 0, !isBlank, indent <= flowColumn { flowDepth = 0 }
            if flowDepth > 0 {
                hide(number, indent, line.count)
                flowDepth = max(0, flowDepth + Self.bracketBalance(line[...]))
                continue
            }
            if let column = blockColumn, !isBlank {
                let colon = Self.keyColon(in: line, from: indent)
                // More indented lines are its value; at the same indent, keys wabaform does
                // not know are header lines written one level too far left.
                let key = colon.map { String(String.UnicodeScalarView(line[indent..<$0])) } ?? ""
                if indent > column || (indent == column && colon != nil && !Self.knownKeys.contains(key) && line[indent] != "-") {
                    hide(number, colon.map { Self.skipSpaces(in: line, from: $0 + 1) } ?? indent, line.count)
                    continue
                }
                blockColumn = nil
            }
            var index = 0
            while let colon = Self.keyColon(in: line, from: index) {
                var start = colon
                if colon > 0, line[colon - 1] == "\"" || line[colon - 1] == "'" {
                    // A quoted key: back to its opening quote, whatever is inside.
                    let quote = line[colon - 1]
                    start = colon - 1
                    while start > 0, line[start - 1] != quote { start -= 1 }
                    start = max(0, start - 1)
                } else {
                    while start > 0, Self.isKeyScalar(line[start - 1]) { start -= 1 }
                }
                let word = String(String.UnicodeScalarView(line[start..<colon])).filter { $0 != "\"" && $0 != "'" && $0 != " " }
                if Self.looksSecret(word) {
                    // `X-Hook-Secret: value` outside any headers, `token: …`: hide the value.
                    hide(number, Self.skipSpaces(in: line, from: colon + 1), line.count)
                    break
                }
                guard Self.isHeadersLike(word) else { index = colon + 1; continue }
                let rest = line[(colon + 1)...]
                let restStart = rest.firstIndex { $0 != " " && $0 != "\t" } ?? line.count
                if restStart == line.count || line[restStart] == "#" {
                    blockColumn = start
                } else if line[restStart] == "{", Self.closingBracket(in: line, from: restStart) != nil {
                    spans += Self.flowValues(in: line, from: restStart, line: number)
                } else {
                    hide(number, restStart, line.count)
                    flowDepth = max(0, Self.bracketBalance(rest))
                    flowColumn = start
                }
                break
            }
        }
        return spans
    }

    static let knownKeys = Set(ConfigKeys.topLevel + ConfigKeys.partner + ConfigKeys.channelRule + ConfigKeys.webhook)

    /// A key that is no config key and reads like a header or a credential: `X-…`,
    /// `Authorization`, anything with secret, token, password, auth or key in its name.
    static func looksSecret(_ word: String) -> Bool {
        let lowered = word.lowercased()
        guard !knownKeys.contains(lowered), !isHeadersLike(lowered) else { return false }
        return lowered.hasPrefix("x-")
            || ["secret", "token", "passw", "auth", "key", "bearer", "cookie", "signature"].contains { lowered.contains($0) }
    }

    static func isHeadersLike(_ word: String) -> Bool {
        let lowered = word.lowercased()
        guard lowered.count >= 4 else { return false }
        return lowered.contains("header") || lowered.contains("hdr") || Suggestion.editDistance(lowered, "headers") <= 2
    }

    static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.\"'".unicodeScalars.contains(scalar)
    }

    /// The next `:` at or after `from` that ends a key: followed by a space, a tab, `{`, `[`,
    /// a quote or the end of the line (not the `:` of `https://`).
    static func keyColon(in line: [Unicode.Scalar], from: Int) -> Int? {
        var index = from
        while index < line.count {
            if line[index] == ":", index > 0, isKeyScalar(line[index - 1]) {
                let next = index + 1 < line.count ? line[index + 1] : " "
                if " \t{[\"'".unicodeScalars.contains(next) { return index }
            }
            index += 1
        }
        return nil
    }

    static func skipSpaces(in line: [Unicode.Scalar], from: Int) -> Int {
        var index = from
        while index < line.count, line[index] == " " || line[index] == "\t" { index += 1 }
        return index
    }

    /// The index of the bracket that closes the one at `from`, on the same line.
    static func closingBracket(in line: [Unicode.Scalar], from: Int) -> Int? {
        var depth = 0
        for index in from..<line.count {
            if line[index] == "{" || line[index] == "[" { depth += 1 }
            if line[index] == "}" || line[index] == "]" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    static func bracketBalance(_ scalars: ArraySlice<Unicode.Scalar>) -> Int {
        var balance = 0
        for scalar in scalars {
            if scalar == "{" || scalar == "[" { balance += 1 } else if scalar == "}" || scalar == "]" { balance -= 1 }
        }
        return balance
    }

    /// In `{ A: x, B: "y" }` starting at `from`: the values x and "y".
    static func flowValues(in line: [Unicode.Scalar], from: Int, line number: Int) -> [(start: YAMLPosition, end: YAMLPosition)] {
        var spans: [(start: YAMLPosition, end: YAMLPosition)] = []
        var index = from + 1
        while index < line.count, line[index] != "}" {
            guard let colon = keyColon(in: line, from: index) else { break }
            var start = colon + 1
            while start < line.count, line[start] == " " { start += 1 }
            var end = start
            if end < line.count, line[end] == "\"" || line[end] == "'" {
                let quote = line[end]
                end += 1
                while end < line.count, line[end] != quote { end += line[end] == "\\" && quote == "\"" ? 2 : 1 }
                end = min(line.count, end + 1)
            } else if end < line.count, line[end] == "[" || line[end] == "{" {
                end = (closingBracket(in: line, from: end) ?? line.count - 1) + 1
            } else {
                while end < line.count, line[end] != ",", line[end] != "}" { end += 1 }
                while end > start, line[end - 1] == " " { end -= 1 }
            }
            if start < end { spans.append((YAMLPosition(line: number, column: start + 1), YAMLPosition(line: number, column: end + 1))) }
            index = end
            while index < line.count, line[index] != ",", line[index] != "}" { index += 1 }
            if index < line.count, line[index] == "," { index += 1 }
        }
        return spans
    }
}
