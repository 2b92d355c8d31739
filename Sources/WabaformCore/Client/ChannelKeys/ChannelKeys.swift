import Synchronization
import Foundation
import PartnerAPIRules

/// The channel keys (`D360-API-KEY`) the user supplied, by channel id.
///
/// Sources, highest first: `WABAFORM_CHANNEL_KEY_<CHANNEL_ID>` variables, then the keys
/// command (`--channel-keys-command`, else `WABAFORM_CHANNEL_KEYS_COMMAND`), then the keys
/// file or directory (`--channel-keys PATH`, else `WABAFORM_CHANNEL_KEYS_FILE`). A file is a
/// JSON object or a flat YAML map of `channel_id: key`; a directory holds one file per channel
/// (a Kubernetes Secret volume, Docker secrets). Channel ids match exactly first, then
/// ignoring case (so `WABAFORM_CHANNEL_KEY_ACME01CH` serves `acme01CH`) when that is
/// unambiguous. The command runs only once the channels that need a key are known
/// (`resolvingCommand(for:)`). Nothing here ever prints a key.
public struct ChannelKeys: Sendable {
    public static let fileVariable = "WABAFORM_CHANNEL_KEYS_FILE"
    public static let commandVariable = "WABAFORM_CHANNEL_KEYS_COMMAND"
    public static let variablePrefix = "WABAFORM_CHANNEL_KEY_"

    /// A key and where it came from, e.g. `WABAFORM_CHANNEL_KEY_acme01CH` or `keys.json`.
    public struct Entry: Sendable, Equatable {
        public var key: Secret
        public var source: String
    }

    /// Keys that cannot be used; the message names the file (and line) or the command,
    /// never a key.
    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// One source's keys: ids and entries side by side, found through tables of positions.
    /// A dictionary of 100,000 keys was 12.6 MB of buckets, and its copy folded to upper case
    /// 12.6 MB more; these are 4.8 MB of arrays and 1 MB a table (docs/performance.md).
    struct Layer: Sendable {
        let ids: [String]
        let entries: [Entry]
        private let exact: Positions
        /// Made at the first id not found as it is: exact ids never use it.
        private let folded: Folded

        init(_ dictionary: [String: Entry]) {
            ids = Array(dictionary.keys)
            entries = Array(dictionary.values)
            exact = Positions(of: ids)
            folded = Folded()
        }

        func entry(for channelID: String) -> Entry? {
            if let position = exact.position(of: channelID, in: ids) { return entries[position] }
            let (foldedIDs, positions) = folded.table(of: ids)
            return positions.position(of: channelID.uppercased(), in: foldedIDs).map { entries[$0] }
        }

        private final class Folded: Sendable {
            private let made = Mutex<(ids: [String], positions: Positions)?>(nil)

            func table(of ids: [String]) -> (ids: [String], positions: Positions) {
                made.withLock { made in
                    if let made { return made }
                    let folded = ids.map { $0.uppercased() }
                    let table = (ids: folded, positions: Positions(of: folded))
                    made = table
                    return table
                }
            }
        }
    }

    /// Where each string of a list is, by hash: a power-of-two table of positions, twice the
    /// list's length, probed in turn. A string the list holds more than once is ambiguous
    /// (two ids that fold to the same upper case) and found nowhere.
    struct Positions: Sendable {
        private let slots: [Int32]
        private let ambiguous: Set<String>

        init(of keys: [String]) {
            var size = 8
            while size < keys.count * 2 { size <<= 1 }
            var slots = [Int32](repeating: -1, count: size)
            var ambiguous: Set<String> = []
            for (position, key) in keys.enumerated() {
                var slot = key.hashValue & (size - 1)
                while slots[slot] >= 0, keys[Int(slots[slot])] != key { slot = (slot + 1) & (size - 1) }
                if slots[slot] >= 0 { ambiguous.insert(key) } else { slots[slot] = Int32(position) }
            }
            self.slots = slots
            self.ambiguous = ambiguous
        }

        /// The position of `key` in `keys`, the list the table was made of.
        func position(of key: String, in keys: [String]) -> Int? {
            let mask = slots.count - 1
            var slot = key.hashValue & mask
            while slots[slot] >= 0 {
                let position = Int(slots[slot])
                if keys[position] == key { return ambiguous.contains(key) ? nil : position }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    private let variables: Layer
    private let command: Layer
    private let files: Layer
    /// The keys command, until it has run (see `resolvingCommand(for:)`).
    public let pendingCommand: ChannelKeysCommand?

    /// Keys from the environment, the command and the file; earlier sources win.
    public init(
        environment: [String: Entry] = [:], command: [String: Entry] = [:], file: [String: Entry] = [:],
        pendingCommand: ChannelKeysCommand? = nil
    ) {
        self.init(layers: Layer(environment), Layer(command), Layer(file), pendingCommand: pendingCommand)
    }

    private init(layers variables: Layer, _ command: Layer, _ files: Layer, pendingCommand: ChannelKeysCommand?) {
        self.variables = variables
        self.command = command
        self.files = files
        self.pendingCommand = pendingCommand
    }

    /// Keys given in code (tests, the embedded sandbox), labelled with `source`.
    public init(_ keys: [String: Secret], source: String = "the given keys") {
        self.init(file: keys.mapValues { Entry(key: $0, source: source) })
    }

    public static let none = ChannelKeys()

    /// Loads the keys: the file or directory named by `file` (the `--channel-keys` flag) or
    /// else by `WABAFORM_CHANNEL_KEYS_FILE`, every `WABAFORM_CHANNEL_KEY_<ID>` variable, and
    /// the command named by `command` (`--channel-keys-command`) or else by
    /// `WABAFORM_CHANNEL_KEYS_COMMAND`, which is checked here but runs later.
    public static func load(
        file: String?, command: String? = nil, environment: [String: String],
        helperOutput: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(LoadError) -> ChannelKeys {
        var fileEntries: [String: Entry] = [:]
        let path = file ?? environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let path {
            let label = file != nil ? path : "\(path) (\(fileVariable))"
            fileEntries = try readPath(path, label: label)
        }
        var environmentEntries: [String: Entry] = [:]
        for (name, value) in environment where name.hasPrefix(variablePrefix) {
            let id = String(name.dropFirst(variablePrefix.count))
            guard !id.isEmpty, !value.isEmpty else { continue }
            environmentEntries[id] = Entry(key: Secret(value), source: name)
        }
        var pending: ChannelKeysCommand?
        let commandLine = command ?? environment[commandVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let commandLine {
            let origin = command != nil ? "--channel-keys-command" : commandVariable
            pending = try ChannelKeysCommand.parse(commandLine, origin: origin, environment: environment, output: helperOutput)
        }
        return ChannelKeys(environment: environmentEntries, file: fileEntries, pendingCommand: pending)
    }

    /// The key for a channel, with its source; nil when the user gave none.
    public func entry(for channelID: String) -> Entry? {
        variables.entry(for: channelID) ?? command.entry(for: channelID) ?? files.entry(for: channelID)
    }

    public func key(for channelID: String) -> Secret? { entry(for: channelID)?.key }

    /// Every channel id a key was given for, sorted.
    public var channelIDs: [String] {
        Set(variables.ids).union(command.ids).union(files.ids).sorted()
    }

    public var isEmpty: Bool { variables.ids.isEmpty && command.ids.isEmpty && files.ids.isEmpty }

    /// These keys with the command's answer for `channelIDs`: it is asked only for channels
    /// no `WABAFORM_CHANNEL_KEY_<ID>` variable serves, and not run at all when there are none
    /// (or when it has run already). Its keys rank below the variables and above the files.
    public func resolvingCommand(for channelIDs: [String]) async throws(LoadError) -> ChannelKeys {
        guard let pendingCommand else { return self }
        let wanted = Set(channelIDs).filter { variables.entry(for: $0) == nil }.sorted()
        guard !wanted.isEmpty else { return ChannelKeys(layers: variables, command, files, pendingCommand: nil) }
        let known = [variables, files].flatMap { $0.entries.map(\.key.revealed) }
        let served = try await pendingCommand.keys(for: wanted, otherSecrets: known)
        let entries = served.mapValues { Entry(key: $0, source: pendingCommand.label) }
        return ChannelKeys(layers: variables, Layer(entries), files, pendingCommand: nil)
    }
}
