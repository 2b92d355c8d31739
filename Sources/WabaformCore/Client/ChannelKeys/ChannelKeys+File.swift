import Foundation
import PartnerAPIRules
import Yams

/// A keys file: a JSON object or a flat YAML map of `channel_id: key`, read with Yams.
extension ChannelKeys {
    /// The entries of a keys file or of a directory of key files (`ChannelKeys+Directory`).
    static func readPath(_ path: String, label: String) throws(LoadError) -> [String: Entry] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return try readDirectory(path, label: label)
        }
        return try parseFile(at: path, label: label).mapValues { Entry(key: $0, source: path) }
    }

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
        let body = trimmed(text)
        if body.isEmpty { return [:] }
        if body.hasPrefix("{") { return try parseJSON(body, label: label) }
        return try parseYAML(text, label: label)
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`, looking only at the ends: the
    /// Foundation call bridged the whole file (about 30,000 instructions a key of a 1,000-key
    /// file: docs/performance.md).
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let space = CharacterSet.whitespacesAndNewlines
        guard let start = scalars.firstIndex(where: { !space.contains($0) }),
            let end = scalars.lastIndex(where: { !space.contains($0) })
        else { return "" }
        return String(scalars[start...end])
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

    /// A flat YAML map of plain or quoted scalars: `id: key` lines, comments, `---`/`...`.
    /// Anything else (nesting, lists, block scalars) is refused, naming the line but never
    /// quoting it (it may hold a key): Yams' own messages show the line, so only their
    /// problem text is kept.
    private static func parseYAML(_ text: String, label: String) throws(LoadError) -> [String: Secret] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        func fail(_ line: Int, _ problem: String) -> LoadError { LoadError(description: "\(label):\(line): \(problem)") }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            let id = duplicates.sorted().first ?? ""
            let first = context.mark.line
            let second = lines.indices.dropFirst(first).first { declaredID(in: lines[$0]) == id }.map { $0 + 1 }
            throw fail(second ?? first, "channel \(id) is listed twice" + (second != nil ? " (first on line \(first))" : ""))
        } catch let YamlError.scanner(context, problem, mark, _) {
            // An unclosed quote: the scanner's context points at the scalar's start.
            if let context, context.text.contains("quoted scalar") {
                let line = context.mark.line
                let id = lines.indices.contains(line - 1) ? declaredID(in: lines[line - 1]) : nil
                throw fail(line, "the key for channel \(id ?? "on this line") is not a plain or quoted string (\(problem))")
            }
            throw fail(mark.line, "expected `CHANNEL_ID: KEY` at the start of the line (the file is a flat map; \(problem))")
        } catch let YamlError.parser(_, problem, mark, _), let YamlError.composer(_, problem, mark, _) {
            throw fail(mark.line, "expected `CHANNEL_ID: KEY` at the start of the line (the file is a flat map; \(problem))")
        } catch {
            throw LoadError(description: "channel keys file \(label) is not a flat YAML map of `CHANNEL_ID: KEY`")
        }
        guard let root else { return [:] }
        guard case .mapping(let mapping) = root else {
            let line = root.mark?.line ?? 1
            if case .scalar(let scalar) = root, scalar.string.contains(":") {
                throw fail(line, "expected a space after the colon in `CHANNEL_ID: KEY`")
            }
            throw fail(line, "expected `CHANNEL_ID: KEY`")
        }
        var keys: [String: Secret] = [:]
        var firstLine: [String: Int] = [:]
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line ?? 1
            guard case .scalar(let idScalar) = keyNode, isFlat(idScalar.style), !idScalar.string.isEmpty else {
                throw fail(line, "expected `CHANNEL_ID: KEY`")
            }
            let id = idScalar.string
            guard case .scalar(let keyScalar) = valueNode, isFlat(keyScalar.style) else {
                throw fail(line, "the key for channel \(id) is not a plain or quoted string")
            }
            guard !keyScalar.string.isEmpty else { throw fail(line, "the key for channel \(id) is empty") }
            if let previous = firstLine[id] { throw fail(line, "channel \(id) is listed twice (first on line \(previous))") }
            firstLine[id] = line
            keys[id] = Secret(keyScalar.string)
        }
        return keys
    }

    /// Plain or quoted: not a block scalar (`|`, `>`), whose line breaks would be part of the key.
    private static func isFlat(_ style: Node.Scalar.Style) -> Bool {
        style == .plain || style == .singleQuoted || style == .doubleQuoted || style == .any
    }

    /// The channel id a `CHANNEL_ID: …` line declares (quotes removed), for locating an
    /// error; nil when the line has no `: ` after an id.
    private static func declaredID(in line: Substring) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        var id = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
        if id.count >= 2, let first = id.first, first == id.last, first == "\"" || first == "'" {
            id = String(id.dropFirst().dropLast())
        }
        return id.isEmpty || id.contains(" ") || id.hasPrefix("#") ? nil : id
    }
}
