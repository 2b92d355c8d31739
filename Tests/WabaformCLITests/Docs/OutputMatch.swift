/// Compares the output a document shows with the output a command printed, line by line. A line
/// that is exactly `...` in the document stands for any number of lines (none included), so an
/// excerpt says where it leaves lines out; every other line must be printed exactly as shown.
enum OutputMatch {
    static let ellipsis = "..."

    /// nil when `actual` fits `expected`; otherwise where they first part, for a failure message.
    static func difference(expected: String, actual: String) -> String? {
        let want = lines(expected), got = lines(actual)
        if matches(want[...], got[...]) { return nil }
        // The longest prefix of the document's lines that still fits, to point at the line after it.
        var fitting = 0
        for count in stride(from: want.count, through: 0, by: -1) where prefixFits(want[..<count], got) {
            fitting = count
            break
        }
        let shown = got.prefix(40).map { "  | " + $0 }.joined(separator: "\n")
        let wanted = fitting < want.count ? "'\(want[fitting])'" : "nothing more"
        return "block line \(fitting + 1): the docs show \(wanted), which the command did not print there. It printed:\n\(shown)"
            + (got.count > 40 ? "\n  | … (\(got.count - 40) more lines)" : "")
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    static func matches(_ want: ArraySlice<String>, _ got: ArraySlice<String>) -> Bool {
        guard let first = want.first else { return got.isEmpty }
        if first == ellipsis {
            var rest = got
            while true {
                if matches(want.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let line = got.first, line == first else { return false }
        return matches(want.dropFirst(), got.dropFirst())
    }

    /// Whether `want` matches the start of `got` (anything may follow).
    static func prefixFits(_ want: ArraySlice<String>, _ got: [String]) -> Bool {
        matches(want + [ellipsis], got[...])
    }
}
