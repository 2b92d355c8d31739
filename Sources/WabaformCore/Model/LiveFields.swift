import Synchronization

/// A channel object's fields as dotted paths to text (`id`, `status`, `client.name`,
/// `setup_info.phone_number`, …), for `select` matching and the channel's own properties.
///
/// Compact, because a fleet keeps one per channel (100,000 in a large one): the sorted paths
/// are shared by every channel with the same set of fields (`Paths`: all of a page's channels,
/// as a rule), and a channel's values are one array of UTF-8 bytes. As a dictionary of
/// strings the fields cost ~1.5 KB a channel, a third of a 100,000-channel plan's peak memory
/// (docs/performance.md).
///
/// `client.id` reads `client_id` when the object has only that (the two spellings the API
/// has used for the channel's client).
public struct LiveFields: Sendable, Equatable, RandomAccessCollection {
    /// A set of field paths, sorted, each once.
    public final class Paths: Sendable {
        public let names: [String]
        let positions: [String: Int]

        /// Nil when a path is there twice.
        private init?(sorted names: [String]) {
            var positions: [String: Int] = [:]
            positions.reserveCapacity(names.count)
            for (position, name) in names.enumerated() {
                guard positions.updateValue(position, forKey: name) == nil else { return nil }
            }
            self.names = names
            self.positions = positions
        }

        /// Sets of paths made so far, to share (bounded: past it each is its own).
        private static let made = Mutex([[String]: Paths]())
        private static let madeLimit = 64

        /// The shared set of these paths (sorted, distinct), made when new.
        static func shared(sorted names: [String]) -> Paths? {
            if let known = made.withLock({ $0[names] }) { return known }
            guard let paths = Paths(sorted: names) else { return nil }
            made.withLock { made in if made.count < madeLimit { made[names] = paths } }
            return paths
        }
    }

    public let paths: Paths
    /// `paths.count` little-endian `UInt32`s, where each value's bytes end (counted from the
    /// end of this table), then every value's UTF-8 bytes one after another.
    private let storage: [UInt8]

    /// The fields of `values`, given in the order of `paths.names`.
    init(paths: Paths, values: some Collection<String>) {
        precondition(values.count == paths.names.count)
        let table = 4 * values.count
        let total = table + values.reduce(0) { $0 + $1.utf8.count }
        precondition(total <= Int(UInt32.max), "channel fields beyond 4 GB")
        self.paths = paths
        self.storage = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            var end = 0
            for (position, value) in values.enumerated() {
                var text = value
                text.withUTF8 { utf8 in
                    if let base = utf8.baseAddress { (buffer.baseAddress! + table + end).initialize(from: base, count: utf8.count) }
                    end += utf8.count
                }
                withUnsafeBytes(of: UInt32(end).littleEndian) { bytes in
                    for offset in 0..<4 { buffer[4 * position + offset] = bytes[offset] }
                }
            }
            count = total
        }
    }

    /// The fields of a dictionary of paths to values.
    public init(_ fields: [String: String]) {
        let sorted = fields.sorted { $0.key < $1.key }
        // Keys of a dictionary are distinct: never nil.
        self.init(paths: Paths.shared(sorted: sorted.map(\.key))!, values: sorted.map(\.value))
    }

    /// The value at `path`, nil when the object does not have it.
    public subscript(path: String) -> String? {
        if let position = paths.positions[path] { return value(at: position) }
        return path == "client.id" ? self["client_id"] : nil
    }

    // MARK: Collection: (path, value) in path order

    public var startIndex: Int { 0 }
    public var endIndex: Int { paths.names.count }

    public subscript(position: Int) -> (path: String, value: String) {
        (paths.names[position], value(at: position))
    }

    /// The first path (in order) whose value is longer than `limit` UTF-8 bytes, and its length.
    public func first(longerThan limit: Int) -> (path: String, bytes: Int)? {
        storage.withUnsafeBytes { raw in
            var start = 0
            for position in paths.names.indices {
                let end = Self.end(of: position, in: raw)
                if end - start > limit { return (paths.names[position], end - start) }
                start = end
            }
            return nil
        }
    }

    /// These fields with `path` set to `value` (removed when nil).
    public func setting(_ path: String, to value: String?) -> LiveFields {
        var all = Dictionary(uniqueKeysWithValues: map { ($0.path, $0.value) })
        all[path] = value
        return LiveFields(all)
    }

    public static func == (lhs: LiveFields, rhs: LiveFields) -> Bool {
        (lhs.paths === rhs.paths || lhs.paths.names == rhs.paths.names) && lhs.storage == rhs.storage
    }

    private func value(at position: Int) -> String {
        storage.withUnsafeBytes { raw in
            let table = 4 * paths.names.count
            let start = position == 0 ? 0 : Self.end(of: position - 1, in: raw)
            let end = Self.end(of: position, in: raw)
            return String(decoding: UnsafeRawBufferPointer(rebasing: raw[(table + start)..<(table + end)]), as: UTF8.self)
        }
    }

    /// Where the value at `position` ends, from the storage's table.
    private static func end(of position: Int, in raw: UnsafeRawBufferPointer) -> Int {
        Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * position, as: UInt32.self)))
    }
}
