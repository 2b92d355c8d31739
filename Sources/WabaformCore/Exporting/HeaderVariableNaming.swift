import PartnerAPIRules

/// Names a `${VARIABLE}` for each distinct webhook header value, without ever printing one.
///
/// Values are grouped by header name (case-insensitive, as the planner compares them) and by
/// value (`Secret` equality), so channels sharing a secret share one variable. For each
/// header name the value used by the most channels is `WABAFORM_HEADER_<NAME>`; each other
/// value is `WABAFORM_HEADER_<NAME>_<CHANNEL_ID>`, after the first channel (by id) that uses
/// it, so names do not shift when unrelated channels come and go.
enum HeaderVariableNaming {
    static let prefix = "WABAFORM_HEADER_"

    struct Key: Hashable {
        /// Lower-cased header name.
        var name: String
        var value: Secret
    }

    /// `headers` by channel id → the variables (sorted by name) and the variable of each key.
    static func assign(_ headers: [String: [String: Secret]]) -> (variables: [HeaderVariable], names: [Key: String]) {
        var channels: [Key: [String]] = [:]
        var spelling: [Key: String] = [:]
        for id in headers.keys.sorted() {
            for (name, value) in headers[id]!.sorted(by: { $0.key < $1.key }) {
                let key = Key(name: name.lowercased(), value: value)
                channels[key, default: []].append(id)
                if spelling[key] == nil { spelling[key] = name }
            }
        }
        var used: Set<String> = []
        var names: [Key: String] = [:]
        let byHeader = Dictionary(grouping: channels.keys, by: \.name)
        for header in byHeader.keys.sorted() {
            // Most channels first; ties by the first channel id, which is unique per key.
            let keys = byHeader[header]!.sorted {
                let (a, b) = (channels[$0]!, channels[$1]!)
                return a.count != b.count ? a.count > b.count : a[0] < b[0]
            }
            let base = prefix + sanitized(header).uppercased()
            for (index, key) in keys.enumerated() {
                let wanted = index == 0 ? base : base + "_" + sanitized(channels[key]![0])
                var name = wanted
                var suffix = 2
                while used.contains(name) {
                    name = wanted + "_\(suffix)"
                    suffix += 1
                }
                used.insert(name)
                names[key] = name
            }
        }
        let variables = names.map { key, name in
            HeaderVariable(name: name, header: spelling[key]!, channelIDs: channels[key]!, value: key.value)
        }.sorted { $0.name < $1.name }
        return (variables, names)
    }

    /// Letters and digits kept, everything else `_`: a valid part of a variable name.
    static func sanitized(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? scalar : "_"
                }))
    }
}
