/// Which channels a `channels` rule applies to.
public enum ChannelSelector: Sendable, Hashable, CustomStringConvertible {
    /// Exactly one channel, by its id.
    case id(String)
    /// Exactly one channel, by its number: digits only, as `PhoneNumber.normalized` gives
    /// and as the API stores `setup_info.phone_number`.
    case phoneNumber(String)
    /// Every channel whose fields all match; sorted by path, each path once.
    case match([FieldMatch])
    /// Every channel of the partner.
    case all

    /// Rules of a higher rank win over rules of a lower rank for the same channel and
    /// attribute; rules of equal rank that both apply are a conflict (found at plan time).
    public var rank: SelectorRank {
        switch self {
        case .id, .phoneNumber: .exact
        case .match: .match
        case .all: .all
        }
    }

    /// As it would be written in the config, e.g. `select: {client.name: "Acme*"}`.
    public var description: String {
        switch self {
        case .id(let id): "id: \(id)"
        case .phoneNumber(let digits): "phone_number: \(digits)"
        case .match(let fields):
            "select: {" + fields.map(\.description).joined(separator: ", ") + "}"
        case .all: "select: all"
        }
    }
}

/// The precedence of a selector: `exact` (id, phone_number) > `match` (select map) > `all`.
public enum SelectorRank: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
    case all = 0
    case match = 1
    case exact = 2

    public static func < (lhs: SelectorRank, rhs: SelectorRank) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .all: "select: all"
        case .match: "select map"
        case .exact: "id/phone_number"
        }
    }
}
