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

    /// One source's keys, with their ids folded to upper case for the second lookup.
    struct Layer: Sendable {
        let entries: [String: Entry]
        /// Made at the first id not found as it is: with a key per channel of a large fleet
        /// (100,000 in a keys file) the second table was 12 MB that exact ids never use.
        private let folded: Folded

        init(_ entries: [String: Entry]) {
            self.entries = entries
            self.folded = Folded()
        }

        func entry(for channelID: String) -> Entry? {
            if let entry = entries[channelID] { return entry }
            return folded.table(of: entries)[channelID.uppercased()]
        }

        private final class Folded: Sendable {
            private let made = Mutex<[String: Entry]?>(nil)

            func table(of entries: [String: Entry]) -> [String: Entry] {
                made.withLock { made in
                    if let made { return made }
                    let table = Self.fold(entries)
                    made = table
                    return table
                }
            }

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
        Set(variables.entries.keys).union(command.entries.keys).union(files.entries.keys).sorted()
    }

    public var isEmpty: Bool { variables.entries.isEmpty && command.entries.isEmpty && files.entries.isEmpty }

    /// These keys with the command's answer for `channelIDs`: it is asked only for channels
    /// no `WABAFORM_CHANNEL_KEY_<ID>` variable serves, and not run at all when there are none
    /// (or when it has run already). Its keys rank below the variables and above the files.
    public func resolvingCommand(for channelIDs: [String]) async throws(LoadError) -> ChannelKeys {
        guard let pendingCommand else { return self }
        let wanted = Set(channelIDs).filter { variables.entry(for: $0) == nil }.sorted()
        guard !wanted.isEmpty else { return ChannelKeys(layers: variables, command, files, pendingCommand: nil) }
        let known = [variables, files].flatMap { $0.entries.values.map(\.key.revealed) }
        let served = try await pendingCommand.keys(for: wanted, otherSecrets: known)
        let entries = served.mapValues { Entry(key: $0, source: pendingCommand.label) }
        return ChannelKeys(layers: variables, Layer(entries), files, pendingCommand: nil)
    }
}
