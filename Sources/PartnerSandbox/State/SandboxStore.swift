import Foundation

/// The sandbox's one live copy of its state, and its persistence.
///
/// The state file is JSON Lines: the first line is a snapshot of the whole state, every
/// later line one change (a whole partner, channel or WABA webhook record, replacing the
/// previous one). Each change is appended with a single `write` before the request that
/// made it is answered, so an acknowledged change is on disk (in the page cache, which a
/// SIGKILL does not lose). A torn last line — the process killed mid-append — is ignored on
/// load; compaction writes a fresh snapshot to a temporary file, syncs it and renames it over
/// the state file, so the file always loads whatever moment the process dies.
public actor SandboxStore {
    public enum StoreError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case corrupt(path: String, line: Int, reason: String)
        case unwritable(path: String, reason: String)
        /// Another sandbox serves from this state file (`holder`: its pid, when known).
        case locked(path: String, holder: Int32?)

        public var description: String {
            switch self {
            case .locked(let path, let holder):
                "sandbox state \(path) is in use by another sandbox (\(holder.map { "pid \($0)" } ?? "pid unknown")); "
                    + "stop that one first, or give this one its own state file (--state FILE, or another working directory for --sandbox)"
            case .unreadable(let path, let reason): "cannot read sandbox state \(path): \(reason)"
            case .corrupt(let path, let line, let reason): "sandbox state \(path) is corrupt at line \(line): \(reason)"
            case .unwritable(let path, let reason): "cannot write sandbox state \(path): \(reason)"
            }
        }
    }

    /// One change line of the journal.
    struct JournalEntry: Codable {
        var partner: PartnerRecord?
        var channel: ChannelRecord?
        var wabaWebhook: WABAWebhookEntry?
        var keySerial: Int?

        enum CodingKeys: String, CodingKey {
            case partner, channel
            case wabaWebhook = "waba_webhook"
            case keySerial = "key_serial"
        }
    }

    struct WABAWebhookEntry: Codable {
        var wabaID: String
        var webhook: WebhookRecord
        enum CodingKeys: String, CodingKey {
            case wabaID = "waba_id"
            case webhook
        }
    }

    struct Snapshot: Codable {
        var format: Int
        var state: SandboxState
        enum CodingKeys: String, CodingKey {
            case format = "wabaform_sandbox_state"
            case state
        }
    }

    public private(set) var state: SandboxState
    /// Current key -> channel id.
    private var keyIndex: [String: String]
    private let path: String?
    private var journal: FileHandle?
    private var journalEntries = 0
    private let encoder: JSONEncoder
    /// Held from before the state is read until `releaseLock()` (or the process ends).
    private let lock: StateFileLock?

    /// Opens the state at `path`, or creates it from `initial` when the file does not exist.
    /// With `path` nil the state lives in memory only. Throws `StoreError.locked` — having
    /// read and written nothing — when another sandbox holds the file (`StateFileLock`).
    public init(path: String?, initial: @Sendable () throws -> SandboxState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.encoder = encoder
        self.path = path
        self.lock = try path.map { try StateFileLock.acquire(statePath: $0) }
        let loaded: SandboxState
        if let path, FileManager.default.fileExists(atPath: path) {
            loaded = try Self.load(path: path)
        } else {
            loaded = try initial()
        }
        self.state = loaded
        self.keyIndex = Self.index(loaded)
        if let path {
            try Self.writeSnapshot(loaded, to: path, encoder: encoder)
            self.journal = try Self.openForAppend(path)
        }
    }

    /// Lets another sandbox open the state file (the sandbox calls it when it stops).
    public nonisolated func releaseLock() {
        lock?.release()
    }

    /// Reads a state file: the snapshot, then every complete change line.
    public static func load(path: String) throws -> SandboxState {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StoreError.unreadable(path: path, reason: error.localizedDescription)
        }
        let decoder = JSONDecoder()
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The last element is what follows the last newline: empty, or a torn append.
        lines.removeLast()
        guard let first = lines.first else {
            throw StoreError.corrupt(path: path, line: 1, reason: "no complete snapshot line")
        }
        var state: SandboxState
        do { state = try decoder.decode(Snapshot.self, from: Data(first)).state } catch {
            throw StoreError.corrupt(path: path, line: 1, reason: "\(error)")
        }
        for (offset, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            let entry: JournalEntry
            do { entry = try decoder.decode(JournalEntry.self, from: Data(line)) } catch {
                throw StoreError.corrupt(path: path, line: offset + 2, reason: "\(error)")
            }
            apply(entry, to: &state)
        }
        return state
    }

    private static func apply(_ entry: JournalEntry, to state: inout SandboxState) {
        if let partner = entry.partner { state.partner = partner }
        if let channel = entry.channel { state.channels[channel.id] = channel }
        if let waba = entry.wabaWebhook { state.wabaWebhooks[waba.wabaID] = waba.webhook }
        if let serial = entry.keySerial { state.keySerial = serial }
    }

    private static func index(_ state: SandboxState) -> [String: String] {
        Dictionary(state.channels.values.map { ($0.apiKey, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: Reads

    public func channel(withKey key: String) -> ChannelRecord? {
        keyIndex[key].flatMap { state.channels[$0] }
    }

    public func channel(id: String) -> ChannelRecord? { state.channels[id] }

    /// A page of a channel listing, and how many channels match in all.
    ///
    /// The order of a listing's channels is remembered (at most `orderingLimit` of them) until
    /// a channel changes: a 100,000-channel list is 100 pages, and sorting every channel for
    /// each page cost the sandbox ~100 ms a page, on the cores the client under test shares.
    func channelPage(_ query: ChannelQuery) -> (total: Int, page: [ChannelRecord]) {
        let key = query.ordering
        let ids: [String]
        if let known = orderings[key] {
            ids = known
        } else {
            ids = query.orderedIDs(state.channels.values)
            if orderings.count >= Self.orderingLimit { orderings.removeAll() }
            orderings[key] = ids
        }
        return (ids.count, query.pageRange(of: ids.count).compactMap { state.channels[ids[$0]] })
    }

    /// Channel ids in a listing's order, by what decides the order; emptied when a channel changes.
    private var orderings: [ChannelQuery.Ordering: [String]] = [:]
    static let orderingLimit = 16

    // MARK: Writes (each appends one journal line before returning)

    public func updatePartner(_ change: (inout PartnerRecord) -> Void) throws -> PartnerRecord {
        var partner = state.partner
        change(&partner)
        state.partner = partner
        try append(JournalEntry(partner: partner))
        return partner
    }

    /// Replaces a channel record; returns it.
    @discardableResult
    public func updateChannel(id: String, _ change: (inout ChannelRecord) -> Void) throws -> ChannelRecord? {
        guard var channel = state.channels[id] else { return nil }
        let oldKey = channel.apiKey
        change(&channel)
        state.channels[id] = channel
        orderings.removeAll()
        if channel.apiKey != oldKey {
            keyIndex[oldKey] = nil
            keyIndex[channel.apiKey] = id
        }
        try append(JournalEntry(channel: channel))
        return channel
    }

    /// Mints a new key for a channel, revoking its current one.
    public func mintKey(channelID: String) throws -> String? {
        guard state.channels[channelID] != nil else { return nil }
        state.keySerial += 1
        let key = SandboxKeys.minted(channelID: channelID, serial: state.keySerial)
        try updateChannel(id: channelID) { $0.apiKey = key }
        try append(JournalEntry(keySerial: state.keySerial))
        return key
    }

    public func setWABAWebhook(wabaID: String, _ webhook: WebhookRecord) throws {
        pendingWABAWebhooks[wabaID] = nil
        state.wabaWebhooks[wabaID] = webhook
        try append(JournalEntry(wabaWebhook: WABAWebhookEntry(wabaID: wabaID, webhook: webhook)))
    }

    /// A WABA webhook write the API has accepted but not applied yet (`--waba-webhook-delay`).
    /// In memory only: a sandbox stopped before it is due forgets it.
    private var pendingWABAWebhooks: [String: (webhook: WebhookRecord, due: ContinuousClock.Instant)] = [:]

    /// Sets the WABA webhook `delay` from now, as the real API does ("within the next 15-20
    /// seconds"); until then reads give the previous value. A later write replaces a pending one.
    public func setWABAWebhook(wabaID: String, _ webhook: WebhookRecord, after delay: Duration) throws {
        guard delay > .zero else { return try setWABAWebhook(wabaID: wabaID, webhook) }
        pendingWABAWebhooks[wabaID] = (webhook, ContinuousClock.now + delay)
    }

    /// The WABA webhook as reads see it now (pending writes that are due applied first).
    public func wabaWebhook(wabaID: String) throws -> WebhookRecord? {
        if let pending = pendingWABAWebhooks[wabaID], pending.due <= ContinuousClock.now {
            try setWABAWebhook(wabaID: wabaID, pending.webhook)
        }
        return state.wabaWebhooks[wabaID]
    }

    private func append(_ entry: JournalEntry) throws {
        guard let path, let journal else { return }
        var line = try encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        do { try journal.write(contentsOf: line) } catch {
            throw StoreError.unwritable(path: path, reason: error.localizedDescription)
        }
        journalEntries += 1
        if journalEntries > max(5_000, state.channels.count) { try compact() }
    }

    /// Rewrites the state file as one snapshot line.
    public func compact() throws {
        guard let path else { return }
        try journal?.close()
        try Self.writeSnapshot(state, to: path, encoder: encoder)
        journal = try Self.openForAppend(path)
        journalEntries = 0
    }

    private static func writeSnapshot(_ state: SandboxState, to path: String, encoder: JSONEncoder) throws {
        var data = try encoder.encode(Snapshot(format: 1, state: state))
        data.append(UInt8(ascii: "\n"))
        try AtomicFile.write(data, to: path)
    }

    private static func openForAppend(_ path: String) throws -> FileHandle {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw StoreError.unwritable(path: path, reason: "cannot open for appending")
        }
        try handle.seekToEnd()
        return handle
    }
}
