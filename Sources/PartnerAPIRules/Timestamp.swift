import Foundation

/// Times as the API writes them and as wabaform's log lines show them: ISO 8601 in UTC
/// (`2026-12-03T11:08:00Z`).
public enum Timestamp {
    /// Now.
    public static func now() -> String { string(Date()) }

    /// `date`, as `ISO8601DateFormatter` writes it by default. A format style, not a new
    /// formatter each time: making one cost ~600,000 instructions, a quarter of the sandbox's
    /// CPU in an apply (callgrind, 1,000 webhook writes) and 29% of `wabaform apply -v`'s,
    /// which logs a line per request (docs/performance.md).
    public static func string(_ date: Date) -> String { date.formatted(style) }

    private static let style = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
}
