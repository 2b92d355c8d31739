/// A secret value (partner key, channel key, password, token, webhook header value).
/// Every way of printing it — `description`, `debugDescription`, string interpolation,
/// `dump`, `Mirror` — shows `(sensitive)`; only `revealed` gives the value, so each place
/// that sends a secret over the wire is explicit and easy to audit.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Also makes the value known to `SecretRedactor.shared`, which cuts it out of every
    /// message wabaform prints, logs, writes or posts.
    public init(_ value: String) {
        self.value = value
        SecretRedactor.shared.register(value)
    }

    /// The value itself: only for sending it where it belongs.
    public var revealed: String { value }

    public var description: String { "(sensitive)" }
    public var debugDescription: String { "(sensitive)" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
