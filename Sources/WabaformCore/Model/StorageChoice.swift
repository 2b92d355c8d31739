/// A local storage setting to write: a region, or default storage (US).
public enum StorageChoice: Sendable, Hashable, CustomStringConvertible {
    /// Default storage (in the US); the config's `off`.
    case defaultStorage
    /// Store message content at rest in this region (an upper-case code such as `DE`).
    case region(String)

    public var description: String {
        switch self {
        case .defaultStorage: "off"
        case .region(let code): code
        }
    }
}
