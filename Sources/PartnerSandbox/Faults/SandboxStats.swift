import Synchronization

/// Request counts per method, route template and status, for `GET /_sandbox/stats`.
/// Status 0 counts connections the sandbox dropped without answering.
public final class SandboxStats: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var method: String
        public var route: String
        public var status: Int

        public static func < (a: Key, b: Key) -> Bool {
            (a.route, a.method, a.status) < (b.route, b.method, b.status)
        }
    }

    /// Local storage enable/disable calls that reached the handler for one channel.
    public struct LocalStorageCalls: Sendable, Equatable {
        /// Every call the handler ran (the channel and client existed).
        public var calls: Int = 0
        /// Calls that asked for the state the channel was already in: a change sent again.
        public var redundant: Int = 0
        /// Calls that changed the channel's storage.
        public var effective: Int { calls - redundant }

        public init(calls: Int = 0, redundant: Int = 0) {
            self.calls = calls
            self.redundant = redundant
        }
    }

    private let counts = Mutex<[Key: Int]>([:])
    private let storage = Mutex<[String: LocalStorageCalls]>([:])

    public init() {}

    func record(method: String, route: String, status: Int) {
        counts.withLock { $0[Key(method: method, route: route, status: status), default: 0] += 1 }
    }

    func recordLocalStorage(channelID: String, redundant: Bool) {
        storage.withLock {
            $0[channelID, default: .init()].calls += 1
            if redundant { $0[channelID, default: .init()].redundant += 1 }
        }
    }

    /// Local storage calls per channel id (only channels that got one).
    public func localStorageCalls() -> [String: LocalStorageCalls] { storage.withLock { $0 } }

    public func reset() {
        counts.withLock { $0.removeAll() }
        storage.withLock { $0.removeAll() }
    }

    /// Every count, sorted by route, method and status.
    public func snapshot() -> [(key: Key, count: Int)] {
        counts.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.key < $1.key }
    }

    /// The JSON body of `GET /_sandbox/stats`.
    func json() -> String {
        let rows = snapshot().map { row in
            "{\"count\":\(row.count),\"method\":\"\(row.key.method)\",\"route\":\"\(row.key.route)\",\"status\":\(row.key.status)}"
        }
        let storageRows = localStorageCalls().sorted { $0.key < $1.key }.map { id, calls in
            "{\"calls\":\(calls.calls),\"channel_id\":\"\(id)\",\"redundant\":\(calls.redundant)}"
        }
        return "{\"requests\":[" + rows.joined(separator: ",") + "],\"local_storage_calls\":[" + storageRows.joined(separator: ",") + "]}"
    }
}
