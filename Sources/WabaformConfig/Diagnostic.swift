/// One problem found in the configuration, at a place in a file.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// The source line shown under the message, with a caret under `caretColumn`.
    /// Built by the loader; parts of the line holding header values are already
    /// replaced by `(sensitive)`, so rendering can print it as it is.
    public struct Excerpt: Sendable, Hashable {
        public let line: String
        /// 1-based, in Unicode scalars of `line`.
        public let caretColumn: Int
    }

    public let severity: Severity
    public let location: SourceLocation
    public let message: String
    public let excerpt: Excerpt?

    public init(_ severity: Severity, at location: SourceLocation, _ message: String, excerpt: Excerpt? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.excerpt = excerpt
    }

    public static func error(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    public var isError: Bool { severity == .error }

    func withExcerpt(_ excerpt: Excerpt?) -> Diagnostic {
        Diagnostic(severity, at: location, message, excerpt: excerpt)
    }
}

extension [Diagnostic] {
    /// Sorted by file, line, column; at the same place, errors before warnings, otherwise
    /// in the order they were found.
    /// Sorted by location, then severity, without repeats: a node reached twice through a
    /// YAML alias is reported once.
    public func sortedForOutput() -> [Diagnostic] {
        let sorted = enumerated().sorted { a, b in
            if a.element.location != b.element.location { return a.element.location < b.element.location }
            if a.element.severity != b.element.severity { return a.element.severity < b.element.severity }
            return a.offset < b.offset
        }.map(\.element)
        var seen: Set<String> = []
        return sorted.filter {
            seen.insert("\($0.location.file):\($0.location.line):\($0.location.column):\($0.severity):\($0.message)").inserted
        }
    }

    public var errorCount: Int { count { $0.severity == .error } }
    public var warningCount: Int { count { $0.severity == .warning } }
}
