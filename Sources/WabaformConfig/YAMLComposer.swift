import Foundation
import Yams

/// Limits that keep hostile input cheap: checked before or while composing.
public enum ConfigLimits {
    /// Files larger than this are rejected before they are read.
    public static let maxFileBytes = 5 * 1024 * 1024

    /// `bytes` in MiB with one decimal, as messages about sizes show it.
    public static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1024 / 1024) }
    /// Nodes visited while converting a document, aliases expanded each time they are used.
    public static let maxNodes = 1_000_000
    /// Deepest nesting of mappings and lists the decoder descends into. libyaml itself
    /// stops at 1000 levels, which also bounds Yams' recursive composer.
    public static let maxDepth = 64
    /// Duplicate keys recovered from per file (each recovery re-parses the file).
    static let maxDuplicateRecoveries = 50
}

/// Parses one file with Yams and converts the result into `YAMLNode`s, reporting YAML
/// errors, duplicate keys, non-string keys, excessive nesting and alias expansion as
/// located diagnostics.
enum YAMLComposer {
    struct Output {
        /// Nil when the file could not be parsed or is empty (a diagnostic says which).
        var root: YAMLNode?
        var diagnostics: [Diagnostic] = []
        /// The start of every node, sorted, for finding where a node ends.
        var nodePositions: [YAMLPosition] = []
    }

    static func compose(_ file: SourceFile) -> Output {
        var output = Output()
        // The text as scalars (4 bytes a character, held while Yams parses): made only for a
        // file that seems to use an alias, or on its first duplicate key. An export's check
        // held 9.3 MB of them for a 2.3 MB config (docs/performance.md).
        var scalars: [Unicode.Scalar] = []
        if mayUseAliases(file.text) {
            scalars = Array(file.text.unicodeScalars)
        }
        if !scalars.isEmpty, let risk = aliasKeyRisk(in: scalars) {
            output.diagnostics.append(
                .error(
                    at: file.location(line: risk.line, column: risk.column),
                    "this file uses aliases (*name) and has a complex mapping key (a ? key, a list or mapping, or an alias, used as a key); "
                        + "wabaform does not read aliases together with complex keys, as they can expand exponentially: use plain text keys"
                ))
            return output
        }
        // Yams stops at the first duplicate key. To report them all, at the second
        // occurrence, the first occurrence's key is renamed (one scalar changed to a private-use
        // character, so columns stay put) and the file parsed again; the converter restores
        // the name and reports the duplicate itself.
        var renamed: [YAMLPosition: Unicode.Scalar] = [:]
        var lineStarts: [Int]?
        var node: Node?
        while true {
            do {
                let text = renamed.isEmpty ? file.text : String(String.UnicodeScalarView(scalars))
                node = try Yams.compose(yaml: text, .basic, .default, .utf8)
                break
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let position = YAMLPosition(line: context.mark.line, column: context.mark.column)
                if scalars.isEmpty { scalars = Array(file.text.unicodeScalars) }
                if lineStarts == nil { lineStarts = startsOfLines(scalars) }
                guard renamed.count < ConfigLimits.maxDuplicateRecoveries,
                    let target = renameTarget(at: position, in: scalars, lineStarts: lineStarts!)
                else {
                    let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                    let tooMany =
                        renamed.count >= ConfigLimits.maxDuplicateRecoveries
                        ? "; the file has more than \(ConfigLimits.maxDuplicateRecoveries) duplicate keys, so wabaform stops here"
                        : ""
                    output.diagnostics.append(
                        .error(
                            at: file.location(line: position.line, column: position.column),
                            "duplicate key \(names) in this mapping (a later line sets it again); each key may appear once\(tooMany)"))
                    return output
                }
                renamed[position] = scalars[target]
                scalars[target] = Unicode.Scalar(0xE000 + UInt32(renamed.count))!
            } catch let error as YamlError {
                output.diagnostics.append(diagnostic(for: error, in: file))
                return output
            } catch {
                output.diagnostics.append(.error(at: file.location(line: 1, column: 1), "cannot parse YAML: \(error)"))
                return output
            }
        }
        guard let node else { return output }
        var converter = Converter(file: file, renamed: renamed)
        output.root = converter.convert(node, depth: 0)
        output.diagnostics += converter.diagnostics
        output.nodePositions = sortedUnique(converter.positions)
        if converter.exhausted { output.root = nil }
        return output
    }

    /// `positions` sorted, each once: sorted in place (they come nearly in order) and
    /// repeats dropped in one pass. A `Set` of them was 4.2 MB for a 2.3 MB config, made while
    /// Yams' tree was still held.
    static func sortedUnique(_ positions: [YAMLPosition]) -> [YAMLPosition] {
        var positions = positions
        positions.sort()
        var kept = 0
        for index in positions.indices where kept == 0 || positions[index] != positions[kept - 1] {
            positions[kept] = positions[index]
            kept += 1
        }
        positions.removeLast(positions.count - kept)
        return positions
    }

    // MARK: Converting Yams nodes

    private struct Converter {
        let file: SourceFile
        let renamed: [YAMLPosition: Unicode.Scalar]
        var diagnostics: [Diagnostic] = []
        var positions: [YAMLPosition] = []
        var visited = 0
        var exhausted = false
        var reportedDepth = false

        init(file: SourceFile, renamed: [YAMLPosition: Unicode.Scalar]) {
            self.file = file
            self.renamed = renamed
        }

        mutating func convert(_ node: Node, depth: Int) -> YAMLNode? {
            guard !exhausted else { return nil }
            visited += 1
            let position = node.mark.map { YAMLPosition(line: $0.line, column: $0.column) } ?? YAMLPosition(line: 1, column: 1)
            if visited > ConfigLimits.maxNodes {
                exhausted = true
                diagnostics.append(
                    .error(
                        at: file.location(line: position.line, column: position.column),
                        "the document has more than \(ConfigLimits.maxNodes) nodes once aliases are expanded; "
                            + "wabaform stops reading here (is an alias expanding exponentially?)"))
                return nil
            }
            positions.append(position)
            switch node {
            case .scalar(let scalar):
                return YAMLNode(kind: .scalar(Self.scalar(scalar)), position: position)
            case .sequence(let sequence):
                guard depth < ConfigLimits.maxDepth else { return tooDeep(position) }
                var items: [YAMLNode] = []
                items.reserveCapacity(sequence.count)
                for item in sequence {
                    guard let converted = convert(item, depth: depth + 1) else { continue }
                    items.append(converted)
                }
                return YAMLNode(kind: .sequence(items), position: position)
            case .mapping(let mapping):
                guard depth < ConfigLimits.maxDepth else { return tooDeep(position) }
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity(mapping.count)
                var firstSeen: [String: YAMLPosition] = [:]
                for (key, value) in mapping {
                    guard !exhausted else { return nil }
                    let keyPosition = key.mark.map { YAMLPosition(line: $0.line, column: $0.column) } ?? position
                    guard case .scalar(let keyScalar) = key else {
                        visited += 1
                        diagnostics.append(
                            .error(
                                at: file.location(line: keyPosition.line, column: keyPosition.column),
                                "mapping keys must be plain text, not \(key.mapping != nil ? "a mapping" : "a list")"))
                        continue
                    }
                    positions.append(keyPosition)
                    var keyText = keyScalar.string
                    if let original = renamed[keyPosition], let first = keyText.unicodeScalars.first, first.value >= 0xE000 {
                        keyText = String(String.UnicodeScalarView([original] + keyText.unicodeScalars.dropFirst()))
                    }
                    if let first = firstSeen[keyText] {
                        diagnostics.append(
                            .error(
                                at: file.location(line: keyPosition.line, column: keyPosition.column),
                                "duplicate key '\(keyText)'; it is already set "
                                    + (first.line == keyPosition.line ? "earlier on this line" : "at line \(first.line)")
                                    + " (each key may appear once in a mapping)"))
                        continue
                    }
                    firstSeen[keyText] = keyPosition
                    guard let converted = convert(value, depth: depth + 1) else { continue }
                    pairs.append(YAMLPair(key: keyText, keyPosition: keyPosition, value: converted))
                }
                return YAMLNode(kind: .mapping(pairs), position: position)
            case .alias:
                // Yams' composer resolves aliases; this case does not occur.
                return nil
            }
        }

        private mutating func tooDeep(_ position: YAMLPosition) -> YAMLNode? {
            if !reportedDepth {
                reportedDepth = true
                diagnostics.append(
                    .error(
                        at: file.location(line: position.line, column: position.column),
                        "nesting is deeper than \(ConfigLimits.maxDepth) levels; a wabaform config needs at most 5"))
            }
            return nil
        }

        private static func scalar(_ scalar: Node.Scalar) -> YAMLScalar {
            let style: YAMLScalar.Style =
                switch scalar.style {
                case .singleQuoted: .singleQuoted
                case .doubleQuoted: .doubleQuoted
                case .literal: .literal
                case .folded: .folded
                case .plain, .any: .plain
                }
            let explicitString = scalar.tag.rawValue == "tag:yaml.org,2002:str" || scalar.tag.rawValue == "!"
            let tag = scalar.tag.rawValue
            let localTag = tag.count > 1 && tag.hasPrefix("!") && !tag.hasPrefix("!!") ? tag : nil
            return YAMLScalar(
                text: scalar.string, style: style, isPlainUntagged: style == .plain && !explicitString, localTag: localTag)
        }
    }

    // MARK: Duplicate-key recovery

    private static func startsOfLines(_ scalars: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                index += 2
                starts.append(index)
                continue
            }
            index += 1
            if scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                starts.append(index)
            }
        }
        return starts
    }

    /// The index of the scalar to change so the key at `position` gets another name, or
    /// nil when the key is not a simple plain or quoted scalar.
    private static func renameTarget(at position: YAMLPosition, in scalars: [Unicode.Scalar], lineStarts: [Int]) -> Int? {
        guard position.line >= 1, position.line <= lineStarts.count else { return nil }
        var index = lineStarts[position.line - 1] + position.column - 1
        guard index < scalars.count else { return nil }
        if scalars[index] == "\"" || scalars[index] == "'" {
            let quote = scalars[index]
            index += 1
            guard index < scalars.count, scalars[index] != quote, scalars[index] != "\\" else { return nil }
        }
        let scalar = scalars[index]
        let unsafe: Set<Unicode.Scalar> = ["[", "{", "]", "}", "*", "&", "!", "|", ">", "?", "#", ",", "\"", "'", "%", "@", "`"]
        guard !unsafe.contains(scalar), scalar.properties.isWhitespace == false, scalar.value >= 0x20 else { return nil }
        return index
    }

    // MARK: Alias pre-scan

    /// Whether the text seems to use an alias: a `*` that starts a token (at the start, or
    /// after a space, a break or `[`, `{`, `,`) followed by an anchor character. Read in
    /// UTF-8 in place: every character it looks for is ASCII, and no byte of a longer
    /// character is one of them.
    static func mayUseAliases(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for index in bytes.indices where bytes[index] == UInt8(ascii: "*") {
                guard index + 1 < bytes.count, isAnchorByte(bytes[index + 1]) else { continue }
                if index == 0 { return true }
                switch bytes[index - 1] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "["),
                    UInt8(ascii: "{"), UInt8(ascii: ","):
                    return true
                default: continue
                }
            }
            return false
        }
    }

    /// An ASCII letter or digit, `-` or `_`: what an anchor's name is made of.
    private static func isAnchorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// Where a file that seems to use an alias (`mayUseAliases`) might use one inside a
    /// mapping key, which Yams would hash by expanding it (exponential for a "billion laughs"
    /// document). Over-approximates.
    static func aliasKeyRisk(in scalars: [Unicode.Scalar]) -> YAMLPosition? {
        func isAnchorCharacter(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && isAnchorByte(UInt8(scalar.value)) }
        func isBreakOrSpace(_ scalar: Unicode.Scalar?) -> Bool {
            guard let scalar else { return true }
            return scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
        }
        func startsToken(at index: Int) -> Bool {
            index == 0 || isBreakOrSpace(scalars[index - 1]) || "[{,".unicodeScalars.contains(scalars[index - 1])
        }
        // A ':' that ends a key: followed by a space, a break, the end, or a flow indicator.
        func colonEndsKey(after start: Int) -> Bool {
            var index = start
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
            guard index < scalars.count, scalars[index] == ":" else { return false }
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            return isBreakOrSpace(next) || next == "," || next == "]" || next == "}"
        }
        var line = 1, column = 1
        for index in scalars.indices {
            let scalar = scalars[index]
            defer {
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            switch scalar {
            case "?":
                if startsToken(at: index), isBreakOrSpace(index + 1 < scalars.count ? scalars[index + 1] : nil) {
                    return YAMLPosition(line: line, column: column)
                }
            case "*":
                guard startsToken(at: index) else { continue }
                var end = index + 1
                while end < scalars.count, isAnchorCharacter(scalars[end]) { end += 1 }
                if end > index + 1, colonEndsKey(after: end) { return YAMLPosition(line: line, column: column) }
            case "]", "}":
                if colonEndsKey(after: index + 1) { return YAMLPosition(line: line, column: column) }
            default:
                continue
            }
        }
        return nil
    }

    // MARK: YAML errors

    static func diagnostic(for error: YamlError, in file: SourceFile) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            return .error(
                at: file.location(line: mark.line, column: mark.column),
                syntaxMessage(problem: problem, context: context, at: mark, in: file))
        case let .composer(context, problem, mark, _):
            if problem.contains("found another document") {
                return .error(
                    at: file.location(line: mark.line, column: mark.column),
                    "a second YAML document starts here; wabaform reads one document per file: move it to a file of its own")
            }
            return .error(
                at: file.location(line: mark.line, column: mark.column),
                syntaxMessage(problem: problem, context: context, at: mark, in: file))
        case let .reader(problem, offset, value, _):
            let (line, column) = file.position(ofCharacterOffset: offset ?? 0)
            var message = "cannot read the file as YAML text: \(problem)"
            if problem.contains("control characters") {
                let code = String(value, radix: 16, uppercase: true)
                message =
                    "the file contains a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)); is it a binary file?"
            }
            return .error(at: file.location(line: line, column: column), message)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error(
                at: file.location(line: context.mark.line, column: context.mark.column),
                "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return .error(at: file.location(line: 1, column: 1), "cannot parse YAML: \(error)")
        }
    }

    private static func syntaxMessage(problem: String, context: YamlError.Context?, at mark: Mark, in file: SourceFile) -> String {
        let character: Unicode.Scalar? = file.line(mark.line).flatMap { line in
            mark.column >= 1 && mark.column <= line.count ? line[mark.column - 1] : nil
        }
        var message = "YAML syntax error: \(problem)"
        if let context, !context.text.isEmpty {
            message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        if problem.contains("Maximum nesting level") {
            return "nesting is too deep (libyaml stops at 1000 levels); a wabaform config needs at most 5"
        }
        if character == "\t" || (problem.contains("cannot start any token") && file.line(mark.line)?.first == "\t") {
            message += "; YAML does not allow tabs for indentation: indent with spaces"
        } else if problem.contains("found undefined alias") {
            message += "; a value starting with * is read as an alias: quote it (\"*...\") to use it as a glob"
        } else if problem.contains("expected alphabetic or numeric character"), context?.text.contains("alias") == true {
            message += "; a bare * is read as an alias: quote it (\"*\") to match any value"
        } else if problem.contains("mapping values are not allowed") {
            if let (line, text) = missingSpaceAfterColon(before: mark.line, in: file) {
                message +=
                    "; line \(line) has \(text) with no space after ':', so YAML reads it as one text: write \(text.replacingOccurrences(of: ":", with: ": ", options: [], range: text.range(of: ":")))"
            } else {
                message += "; quote a value that contains \": \", or check the indentation of this line"
            }
        } else if problem.contains("did not find expected '-' indicator") {
            message += "; check the indentation: indent this line to belong to the entry above, or start a new entry with -"
        } else if problem.contains("did not find expected key") || problem.contains("expected <block end>") {
            message += "; check the indentation of this line"
        } else if problem.contains("expected ',' or '}'") || problem.contains("expected ',' or ']'") {
            message += "; inside { } or [ ], quote values that contain {, }, [, ], or \",\" (such as ${VAR} or {channel_id})"
        } else if problem.contains("found unexpected end of stream") {
            message += "; a quote or bracket is not closed"
        } else if problem.contains("cannot start any token"), let character, "@`".unicodeScalars.contains(character) {
            message += "; quote a value that starts with \(character)"
        }
        return message
    }
}

extension YAMLComposer {
    /// `key:value` (no space after the colon, not a URL) on the nearest non-blank line
    /// before `line`: the usual cause of "mapping values are not allowed here".
    static func missingSpaceAfterColon(before line: Int, in file: SourceFile) -> (Int, String)? {
        var number = line - 1
        while number >= 1, let scalars = file.line(number) {
            let text = String(String.UnicodeScalarView(scalars)).trimmingSpaces
            if text.isEmpty || text.hasPrefix("#") { number -= 1; continue }
            let entry = text.hasPrefix("- ") ? String(text.dropFirst(2)).trimmingSpaces : text
            guard let colon = entry.firstIndex(of: ":") else { return nil }
            let key = entry[..<colon], rest = entry[entry.index(after: colon)...]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }),
                let next = rest.first, next != " ", next != "/"
            else { return nil }
            return (number, String(entry.prefix { $0 != " " && $0 != "#" }))
        }
        return nil
    }
}

extension SourceFile {
    /// The position of a Character offset (as `YamlError.reader` gives it).
    func position(ofCharacterOffset offset: Int) -> (line: Int, column: Int) {
        let prefix = text.prefix(offset)
        return position(ofScalarOffset: prefix.unicodeScalars.count)
    }
}
