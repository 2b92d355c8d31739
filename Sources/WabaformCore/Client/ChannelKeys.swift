import Foundation
import PartnerAPIRules

/// The channel keys (`D360-API-KEY`) the user supplied, by channel id.
///
/// Sources, highest first: `WABAFORM_CHANNEL_KEY_<CHANNEL_ID>` variables, then the keys file
/// (`--channel-keys FILE`, else `WABAFORM_CHANNEL_KEYS_FILE`). The file is a JSON object or
/// a flat YAML map of `channel_id: key`. Channel ids match exactly first, then ignoring case
/// (so `WABAFORM_CHANNEL_KEY_ACME01CH` serves `acme01CH`) when that is unambiguous.
/// Nothing here ever prints a key.
public struct ChannelKeys: Sendable {
    public static let fileVariable = "WABAFORM_CHANNEL_KEYS_FILE"
    public static let variablePrefix = "WABAFORM_CHANNEL_KEY_"

    /// A key and where it came from, e.g. `WABAFORM_CHANNEL_KEY_acme01CH` or `keys.json`.
    public struct Entry: Sendable, Equatable {
        public var key: Secret
        public var source: String
    }

    /// A keys file that cannot be used; the message names the file (and line), never a key.
    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    private let fromEnvironment: [String: Entry]
    private let fromFile: [String: Entry]
    private let foldedEnvironment: [String: Entry]
    private let foldedFile: [String: Entry]

    /// Keys from the environment and the file; the environment wins for the same channel.
    public init(environment: [String: Entry] = [:], file: [String: Entry] = [:]) {
        fromEnvironment = environment
        fromFile = file
        foldedEnvironment = Self.fold(environment)
        foldedFile = Self.fold(file)
    }

    /// Keys given in code (tests, the embedded sandbox), labelled with `source`.
    public init(_ keys: [String: Secret], source: String = "the given keys") {
        self.init(file: keys.mapValues { Entry(key: $0, source: source) })
    }

    public static let none = ChannelKeys()

    /// Loads the keys: the file named by `file` (the `--channel-keys` flag) or else by
    /// `WABAFORM_CHANNEL_KEYS_FILE`, then every `WABAFORM_CHANNEL_KEY_<ID>` variable.
    public static func load(file: String?, environment: [String: String]) throws(LoadError) -> ChannelKeys {
        var fileEntries: [String: Entry] = [:]
        let path = file ?? environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let path {
            let source = file != nil ? path : "\(path) (\(fileVariable))"
            fileEntries = try parseFile(at: path, label: source).mapValues { Entry(key: $0, source: path) }
        }
        var environmentEntries: [String: Entry] = [:]
        for (name, value) in environment where name.hasPrefix(variablePrefix) {
            let id = String(name.dropFirst(variablePrefix.count))
            guard !id.isEmpty, !value.isEmpty else { continue }
            environmentEntries[id] = Entry(key: Secret(value), source: name)
        }
        return ChannelKeys(environment: environmentEntries, file: fileEntries)
    }

    /// The key for a channel, with its source; nil when the user gave none.
    public func entry(for channelID: String) -> Entry? {
        if let entry = fromEnvironment[channelID] { return entry }
        let folded = channelID.uppercased()
        if let entry = foldedEnvironment[folded] { return entry }
        if let entry = fromFile[channelID] { return entry }
        return foldedFile[folded]
    }

    public func key(for channelID: String) -> Secret? { entry(for: channelID)?.key }

    /// Every channel id a key was given for, sorted.
    public var channelIDs: [String] { Set(fromEnvironment.keys).union(fromFile.keys).sorted() }

    public var isEmpty: Bool { fromEnvironment.isEmpty && fromFile.isEmpty }

    /// Ids folded to upper case; an id that folds onto another is left out (ambiguous).
    private static func fold(_ entries: [String: Entry]) -> [String: Entry] {
        var folded: [String: Entry] = [:]
        var ambiguous: Set<String> = []
        for (id, entry) in entries {
            let key = id.uppercased()
            if folded[key] != nil { ambiguous.insert(key) }
            folded[key] = entry
        }
        for key in ambiguous { folded[key] = nil }
        return folded
    }

    // MARK: Parsing

    /// `{channel_id: key}` from a JSON object or a flat YAML map.
    static func parseFile(at path: String, label: String) throws(LoadError) -> [String: Secret] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "it does not exist"
            throw LoadError(description: "cannot read the channel keys file \(label): \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError(description: "channel keys file \(label) is not UTF-8 text")
        }
        return try parse(text, label: label)
    }

    static func parse(_ text: String, label: String) throws(LoadError) -> [String: Secret] {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty { return [:] }
        if body.hasPrefix("{") { return try parseJSON(body, label: label) }
        return try parseYAML(text, label: label)
    }

    private static func parseJSON(_ text: String, label: String) throws(LoadError) -> [String: Secret] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw LoadError(description: "channel keys file \(label) is not a valid JSON object of {\"CHANNEL_ID\": \"KEY\"}")
        }
        var keys: [String: Secret] = [:]
        for id in object.keys.sorted() {
            guard let key = object[id] as? String else {
                throw LoadError(description: "channel keys file \(label): the value for channel \(id) must be a string")
            }
            guard !key.isEmpty else {
                throw LoadError(description: "channel keys file \(label): the key for channel \(id) is empty")
            }
            keys[id] = Secret(key)
        }
        return keys
    }

    /// A flat YAML map: `id: key` lines, `#` comments, optional `---`/`...`, single- or
    /// double-quoted scalars. Anything else (nesting, lists, multi-line values) is refused,
    /// naming the line but never quoting it (it may hold a key).
    private static func parseYAML(_ text: String, label: String) throws(LoadError) -> [String: Secret] {
        var keys: [String: Secret] = [:]
        var firstLine: [String: Int] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            func fail(_ problem: String) -> LoadError {
                LoadError(description: "\(label):\(number): \(problem)")
            }
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed == "---" || trimmed == "..." { continue }
            if line.first == " " || line.first == "\t" {
                throw fail("expected `CHANNEL_ID: KEY` at the start of the line (the file is a flat map)")
            }
            var rest = Substring(trimmed)
            guard let id = scalar(&rest, terminator: ":"), !id.isEmpty else {
                throw fail("expected `CHANNEL_ID: KEY`")
            }
            guard rest.first == ":" else { throw fail("expected `CHANNEL_ID: KEY`") }
            rest = rest.dropFirst()
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else {
                throw fail("expected a space after the colon in `CHANNEL_ID: KEY`")
            }
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard let key = scalar(&rest, terminator: nil) else {
                throw fail("the key for channel \(id) is not a plain or quoted string")
            }
            let remainder = rest.trimmingCharacters(in: .whitespaces)
            guard remainder.isEmpty || remainder.hasPrefix("#") else {
                throw fail("unexpected text after the key for channel \(id)")
            }
            guard !key.isEmpty else { throw fail("the key for channel \(id) is empty") }
            if let previous = firstLine[id] {
                throw fail("channel \(id) is listed twice (first on line \(previous))")
            }
            firstLine[id] = number
            keys[id] = Secret(key)
        }
        return keys
    }

    /// Reads one scalar from the front of `text`: quoted, or plain up to `terminator`
    /// (or to ` #` / the end when nil). nil when it is not a flat string scalar.
    private static func scalar(_ text: inout Substring, terminator: Character?) -> String? {
        guard let first = text.first else { return terminator == nil ? "" : nil }
        if first == "\"" || first == "'" {
            var value = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let character = text[index]
                if character == first {
                    let next = text.index(after: index)
                    if first == "'", next < text.endIndex, text[next] == "'" {
                        value.append("'")
                        index = text.index(after: next)
                        continue
                    }
                    text = text[next...]
                    return value
                }
                if first == "\"", character == "\\" {
                    let next = text.index(after: index)
                    guard next < text.endIndex else { return nil }
                    switch text[next] {
                    case "\"": value.append("\"")
                    case "\\": value.append("\\")
                    case "/": value.append("/")
                    default: return nil
                    }
                    index = text.index(after: next)
                    continue
                }
                value.append(character)
                index = text.index(after: index)
            }
            return nil
        }
        if "[{&*!|>%@`".contains(first) { return nil }
        var end = text.startIndex
        while end < text.endIndex {
            let character = text[end]
            if let terminator, character == terminator { break }
            if terminator == nil, character == "#", end > text.startIndex,
               text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t"
            {
                break
            }
            end = text.index(after: end)
        }
        let value = text[text.startIndex..<end].trimmingCharacters(in: .whitespaces)
        text = text[end...]
        return value
    }
}
