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

    /// What decides a listing's order: the filters, the search and the sort (not the page).
    struct Ordering: Hashable, Sendable {
        var filters: [String]
        var search: String?
        var sortPath: String
        var descending: Bool
    }

    var ordering: Ordering {
        Ordering(filters: filters.flatMap { [$0.path, $0.value] }, search: search, sortPath: sortPath, descending: descending)
    }

    /// The ids of the matching channels in order.
    ///
    /// Sorts (sort value, id) pairs: sorting the records themselves (each comparison looking
    /// the field up again) took seconds per page at 100,000 channels, so a 100-page list ran
    /// into client timeouts. The order is a total order: the sort field's value, ties broken
    /// by id. `SandboxStore.channelPage` remembers the result until a channel changes.
    func orderedIDs<Channels: Collection<ChannelRecord>>(_ channels: Channels) -> [String] {
        let path = sortPath
        var keyed: [(value: String, id: String)] = []
        keyed.reserveCapacity(channels.count)
        for channel in channels where matches(channel) { keyed.append((channel.value(at: path) ?? "", channel.id)) }
        let descending = self.descending
        keyed.sort { a, b in
            if a.value != b.value { return descending ? a.value > b.value : a.value < b.value }
            return a.id < b.id
        }
        return keyed.map(\.id)
    }

    /// The part of `ordered` this query's page covers.
    func pageRange(of count: Int) -> Range<Int> {
        guard offset < count, limit > 0 else { return 0..<0 }
        return offset..<min(count, offset + limit)
    }

    func matches(_ channel: ChannelRecord) -> Bool {
        for (path, value) in filters where channel.value(at: path) != value { return false }
        if let search {
            return Self.searchedPaths.contains { (channel.value(at: $0) ?? "").lowercased().contains(search) }
        }
        return true
    }
}
