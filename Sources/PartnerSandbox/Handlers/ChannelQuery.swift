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
    func run(_ channels: some Collection<ChannelRecord>) -> (total: Int, page: [ChannelRecord]) {
        let matches = channels.filter(matches)
        let path = sortPath
        let sorted = matches.sorted { a, b in
            let left = a.value(at: path) ?? "", right = b.value(at: path) ?? ""
            if left != right { return descending ? left > right : left < right }
            return a.id < b.id
        }
        guard offset < sorted.count, limit > 0 else { return (sorted.count, []) }
        return (sorted.count, Array(sorted[offset..<min(sorted.count, offset + limit)]))
    }

    func matches(_ channel: ChannelRecord) -> Bool {
        for (path, value) in filters where channel.value(at: path) != value { return false }
        if let search {
            return Self.searchedPaths.contains { (channel.value(at: $0) ?? "").lowercased().contains(search) }
        }
        return true
    }
}
