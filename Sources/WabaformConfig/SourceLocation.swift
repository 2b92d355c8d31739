/// A position in a config file: 1-based line and column (columns count Unicode scalars,
/// as libyaml does). Line 0 means "the file as a whole" (a missing file, one too large
/// to read); such locations render as `FILE:` without line and column.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The path as the user wrote it (or as found inside a directory they named).
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location standing for the whole file.
    public static func wholeFile(_ file: String) -> SourceLocation {
        SourceLocation(file: file, line: 0, column: 0)
    }

    public var isWholeFile: Bool { line == 0 }

    /// `FILE:LINE:COLUMN`, or `FILE` for a whole-file location.
    public var description: String { isWholeFile ? file : "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
