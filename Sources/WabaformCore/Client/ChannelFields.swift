import Foundation

/// A channel object's fields as dotted paths to text (`status`, `client.name`,
/// `setup_info.phone_number`, …), for reading and for `select` matching. Tolerant: text as
/// it is, numbers and booleans as their text (a phone number sent as a number still reads),
/// nested objects flattened; null, arrays and anything else are left out.
enum ChannelFields {
    /// Deepest nesting followed; real objects are shallow.
    static let maxDepth = 4

    static func flatten(_ object: [String: (any Sendable)?], prefix: String = "", depth: Int = 0) -> [String: String] {
        var out: [String: String] = [:]
        for (key, entry) in object {
            guard let value = entry else { continue }
            let path = prefix + key
            switch value {
            case let text as String: out[path] = text
            case let flag as Bool: out[path] = flag ? "true" : "false"
            case let number as Int: out[path] = String(number)
            case let number as Double:
                out[path] = number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            case let nested as [String: (any Sendable)?] where depth < maxDepth:
                out.merge(flatten(nested, prefix: path + ".", depth: depth + 1)) { first, _ in first }
            default: continue
            }
        }
        return out
    }
}
