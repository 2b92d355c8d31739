import Foundation
import PartnerAPIRules

/// `GET /partners/{partner_id}/channels` query semantics as the sandbox models them:
/// `filters` (a JSON object of dotted field paths to exact values, plus `q` for a
/// case-insensitive search over several fields), `sort` (a field path, `-` for descending,
/// ties broken by id), and `limit`/`offset` paging.
struct ChannelQuery: Sendable {
    /// The real API's default and maximum page sizes are [open]; this is the sandbox's model.
    static let defaultLimit = 20
    static let maximumLimit = 1_000
    static let searchedPaths = ["id", "setup_info.phone_number", "setup_info.phone_name", "client.name", "waba_account.name"]

    var filters: [(path: String, value: String)] = []
    var search: String?
    var sortPath = "id"
    var descending = false
    var limit = defaultLimit
    var offset = 0
    /// The filters object as received, echoed in the response.
    var filtersEcho: [String: String] = [:]

    struct Invalid: Error { var message: String }

    init(filters: String?, sort: String?, limit: Int?, offset: Int?) throws(Invalid) {
        if let filters, !filters.isEmpty {
            guard let data = filters.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { throw Invalid(message: "filters must be a JSON object, e.g. {\"id\":\"abcCH\"}") }
            for key in object.keys.sorted() {
                let value: String
                switch object[key] {
                case let string as String: value = string
                case let number as NSNumber: value = number.stringValue
                default: throw Invalid(message: "filter \(key) must be a string or a number")
                }
                filtersEcho[key] = value
                if key == "q" {
                    search = value.lowercased()
                } else if key == "data_localization_region" || ChannelFieldPath.isKnown(key) {
                    self.filters.append((key, value))
                } else {
                    throw Invalid(message: "unknown filter field \(key)")
                }
            }
        }
        if let sort, !sort.isEmpty {
            let path = sort.hasPrefix("-") ? String(sort.dropFirst()) : sort
            guard ChannelFieldPath.isKnown(path) else { throw Invalid(message: "cannot sort by unknown field \(path)") }
            sortPath = path
            descending = sort.hasPrefix("-")
        }
        if let limit {
            guard limit >= 0 else { throw Invalid(message: "limit must not be negative") }
            self.limit = min(limit, Self.maximumLimit)
        }
        if let offset {
            guard offset >= 0 else { throw Invalid(message: "offset must not be negative") }
            self.offset = offset
        }
    }

    /// The matching channels in order, and the page this query asks for.
    ///
    /// Sorts (sort value, id, position) triples and copies only the page's records: sorting
    /// the records themselves (each comparison looking the field up again) took seconds per
    /// page at 100,000 channels, so a 100-page list ran into client timeouts. The order is
    /// the same total order: the sort field's value, ties broken by id.
    func run<Channels: Collection<ChannelRecord>>(_ channels: Channels) -> (total: Int, page: [ChannelRecord]) {
        let path = sortPath
        var keyed: [(value: String, id: String, index: Channels.Index)] = []
        keyed.reserveCapacity(channels.count)
        for index in channels.indices {
            let channel = channels[index]
            if matches(channel) { keyed.append((channel.value(at: path) ?? "", channel.id, index)) }
        }
        let descending = self.descending
        keyed.sort { a, b in
            if a.value != b.value { return descending ? a.value > b.value : a.value < b.value }
            return a.id < b.id
        }
        guard offset < keyed.count, limit > 0 else { return (keyed.count, []) }
        return (keyed.count, keyed[offset..<min(keyed.count, offset + limit)].map { channels[$0.index] })
    }

    func matches(_ channel: ChannelRecord) -> Bool {
        for (path, value) in filters where channel.value(at: path) != value { return false }
        if let search {
            return Self.searchedPaths.contains { (channel.value(at: $0) ?? "").lowercased().contains(search) }
        }
        return true
    }
}
