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

    private let counts = Mutex<[Key: Int]>([:])

    public init() {}

    func record(method: String, route: String, status: Int) {
        counts.withLock { $0[Key(method: method, route: route, status: status), default: 0] += 1 }
    }

    public func reset() { counts.withLock { $0.removeAll() } }

    /// Every count, sorted by route, method and status.
    public func snapshot() -> [(key: Key, count: Int)] {
        counts.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.key < $1.key }
    }

    /// The JSON body of `GET /_sandbox/stats`.
    func json() -> String {
        let rows = snapshot().map { row in
            "{\"count\":\(row.count),\"method\":\"\(row.key.method)\",\"route\":\"\(row.key.route)\",\"status\":\(row.key.status)}"
        }
        return "{\"requests\":[" + rows.joined(separator: ",") + "]}"
    }
}
