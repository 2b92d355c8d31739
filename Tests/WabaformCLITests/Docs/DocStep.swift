/// One thing the docs test does, in the order the document says it: run a shell line, write a
/// file, or run a command and compare what it prints with a block. See docs/contributing.md.
struct DocStep: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A logical line of a ```sh block (continuations joined). `expectedExit` from a trailing
        /// `# exit N` (else 0); `expectedText` from `# exit N: TEXT` (pieces split at `…`, each
        /// printed, in order); `answer` from `# asks "X"` (run in a terminal that types X).
        case run(command: String, expectedExit: Int32, expectedText: [String], answer: String?, background: Bool)
        /// A block marked `<!-- docs-test: file PATH -->`, written to PATH.
        case file(path: String, content: String)
        /// A block marked `<!-- docs-test: stdout of `CMD` -->` (or `stderr`, or `output` for
        /// both): what CMD prints, where a line `...` stands for any number of lines.
        case output(command: String, stream: Stream, expectedExit: Int32, expected: String)
    }

    enum Stream: String, Sendable, Equatable { case stdout, stderr, output }

    /// The document, relative to the package root (`README.md`, `docs/sandbox.md`).
    var file: String
    /// 1-based: the command's first line, or the marked block's opening fence.
    var line: Int
    var kind: Kind

    var location: String { "\(file):\(line)" }
}

struct DocParseError: Error, CustomStringConvertible {
    var description: String
}
