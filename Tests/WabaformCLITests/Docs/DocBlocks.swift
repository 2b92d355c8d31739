import Foundation

/// Reads a Markdown document into the steps the docs test runs.
///
/// - A fenced block in `sh`, `bash` or `shell` is run, line by line (a line ending in `\`, or a
///   construct such as `until …; do` that is not complete yet, continues on the next line).
/// - HTML comments on the lines just before a fence mark it (other comments may stand between):
///   `<!-- docs-test: skip (REASON) -->` leaves a block out; `<!-- docs-test: file PATH -->`
///   writes the block to PATH; `<!-- docs-test: stdout of `CMD` -->` (or `stderr of`, `output
///   of` for both, optionally followed by `, exit N`) runs CMD and compares what it prints with
///   the block.
/// - A marker that is not followed by a fence, or that this reader does not know, is an error
///   naming its file and line, so a typo never silently turns a check off.
enum DocBlocks {
    static let runnableLanguages: Set<String> = ["sh", "bash", "shell"]

    static func steps(in text: String, file: String) throws -> [DocStep] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var steps: [DocStep] = []
        var markers: [(line: Int, marker: Marker)] = []
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if let fence = openingFence(trimmed) {
                let open = index
                var close = index + 1
                while close < lines.count, !isClosing(lines[close], of: fence.marker) { close += 1 }
                guard close < lines.count else {
                    throw DocParseError(description: "\(file):\(open + 1): a fenced block that is never closed")
                }
                let body = Array(lines[(open + 1)..<close])
                steps += try blockSteps(
                    file: file, fenceLine: open + 1, language: fence.language, body: body, markers: markers.map(\.marker))
                markers = []
                index = close + 1
                continue
            }
            if trimmed.hasPrefix("<!--"), trimmed.contains("docs-test:") {
                markers.append((index + 1, try marker(trimmed, at: "\(file):\(index + 1)")))
            } else if !trimmed.isEmpty, !trimmed.hasPrefix("<!--"), let first = markers.first {
                throw DocParseError(description: "\(file):\(first.line): a docs-test marker must stand just before a fenced block")
            }
            index += 1
        }
        if let first = markers.first {
            throw DocParseError(description: "\(file):\(first.line): a docs-test marker must stand just before a fenced block")
        }
        return steps
    }

    // MARK: Markers

    enum Marker: Equatable {
        case skip(reason: String)
        case file(path: String)
        case output(command: String, stream: DocStep.Stream, exit: Int32)
    }

    static func marker(_ comment: String, at location: String) throws -> Marker {
        guard let start = comment.range(of: "docs-test:"), let end = comment.range(of: "-->", options: .backwards) else {
            throw DocParseError(description: "\(location): a docs-test marker is one line: <!-- docs-test: … -->")
        }
        let body = comment[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
        if let match = body.wholeMatch(of: /skip\s*(?:\((.+)\)|:\s*(.+))/) {
            let reason = String(match.output.1 ?? match.output.2 ?? "").trimmingCharacters(in: .whitespaces)
            if !reason.isEmpty { return .skip(reason: reason) }
        }
        if let match = body.wholeMatch(of: /file\s+(\S+)/) { return .file(path: String(match.output.1)) }
        if let match = body.wholeMatch(of: /(stdout|stderr|output) of `([^`]+)`(?:,\s*exit (\d+))?/) {
            return .output(
                command: String(match.output.2), stream: DocStep.Stream(rawValue: String(match.output.1))!,
                exit: match.output.3.flatMap { Int32($0) } ?? 0)
        }
        throw DocParseError(
            description: """
                \(location): unknown docs-test marker '\(body)'; use skip (REASON), file PATH, \
                or stdout|stderr|output of `COMMAND` [, exit N]
                """)
    }

    // MARK: Blocks

    static func blockSteps(file: String, fenceLine: Int, language: String, body: [String], markers: [Marker]) throws -> [DocStep] {
        let content = body.isEmpty ? "" : body.joined(separator: "\n") + "\n"
        for marker in markers {
            switch marker {
            case .skip: return []
            case .file(let path): return [DocStep(file: file, line: fenceLine, kind: .file(path: path, content: content))]
            case .output(let command, let stream, let exit):
                return [
                    DocStep(
                        file: file, line: fenceLine, kind: .output(command: command, stream: stream, expectedExit: exit, expected: content))
                ]
            }
        }
        guard runnableLanguages.contains(language) else { return [] }
        return try commands(file: file, firstLine: fenceLine + 1, body: body)
    }

    /// The logical lines of a shell block.
    static func commands(file: String, firstLine: Int, body: [String]) throws -> [DocStep] {
        var steps: [DocStep] = []
        var pending: [String] = []
        var start = 0
        for (offset, raw) in body.enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty, trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if pending.isEmpty { start = firstLine + offset }
            pending.append(raw)
            if trimmed.hasSuffix("\\") { continue }
            let command = pending.joined(separator: "\n")
            guard isComplete(command) else { continue }
            steps.append(DocStep(file: file, line: start, kind: runKind(command)))
            pending = []
        }
        if !pending.isEmpty {
            throw DocParseError(description: "\(file):\(start): this shell command is never complete (bash -n)")
        }
        return steps
    }

    static func runKind(_ command: String) -> DocStep.Kind {
        let last = command.split(separator: "\n").last.map(String.init) ?? command
        let comment = trailingComment(last)
        let code = trailingCode(last)
        var exit: Int32 = 0
        var text: [String] = []
        if let comment, let match = comment.firstMatch(of: /\bexit (\d+)\b(?::\s*(.*))?/) {
            exit = Int32(match.output.1) ?? 0
            text = (match.output.2.map(String.init) ?? "").components(separatedBy: "…")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let answer = comment.flatMap { $0.firstMatch(of: /asks "([^"]+)"/) }.map { String($0.output.1) }
        let code2 = code.trimmingCharacters(in: .whitespaces)
        let background = code2.hasSuffix("&") && !code2.hasSuffix("&&")
        return .run(command: command, expectedExit: exit, expectedText: text, answer: answer, background: background)
    }

    /// The text after an unquoted `#` that starts a word, if any.
    static func trailingComment(_ line: String) -> String? {
        commentStart(line).map { String(line[line.index(after: $0)...]).trimmingCharacters(in: .whitespaces) }
    }

    /// The line without its trailing comment.
    static func trailingCode(_ line: String) -> String {
        commentStart(line).map { String(line[..<$0]) } ?? line
    }

    private static func commentStart(_ line: String) -> String.Index? {
        var quote: Character?
        var previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#", previous == " " || previous == "\t" {
                return index
            }
            previous = character
            index = line.index(after: index)
        }
        return nil
    }

    /// Whether bash reads `command` as complete (no open `do`, quote or here-document).
    static func isComplete(_ command: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-n", "-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return true }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    // MARK: Fences

    static func openingFence(_ trimmed: String) -> (marker: String, language: String)? {
        guard let match = trimmed.wholeMatch(of: /(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)[^`]*/) else { return nil }
        return (String(match.output.1), String(match.output.2).lowercased())
    }

    static func isClosing(_ line: String, of marker: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let first = marker.first else { return false }
        return trimmed.count >= marker.count && trimmed.allSatisfy { $0 == first }
    }
}
