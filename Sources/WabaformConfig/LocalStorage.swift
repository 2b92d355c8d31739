import PartnerAPIRules

/// Where message content is stored at rest: `off` (the default storage, in the US) or a
/// region from `Region`.
public enum LocalStorage: Sendable, Hashable, CustomStringConvertible {
    case off
    case region(Region)

    /// The region code the API takes, or nil for the default storage.
    public var regionCode: String? {
        switch self {
        case .off: nil
        case .region(let region): region.code
        }
    }

    /// `off`, or the upper-case region code.
    public var description: String { regionCode ?? "off" }
}
