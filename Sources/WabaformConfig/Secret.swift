/// A sensitive string (a webhook header value). Printing it in any way, by
/// `description`, `debugDescription`, string interpolation, `dump` or a mirror, shows
/// `(sensitive)`; the value itself is only available through `revealed()`.
///
/// Deliberately not `Codable`, so it cannot be encoded into output by accident.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The real value, for the one place that sends it to the API.
    public func revealed() -> String { value }

    public var description: String { "(sensitive)" }
    public var debugDescription: String { "Secret((sensitive))" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
