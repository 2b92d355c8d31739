import Foundation

/// The `Retry-After` header: delta-seconds (`3`, also `2.5`) or an HTTP date.
enum RetryAfter {
    /// The longest wait taken from the header (a year): `Retry-After: 1e300` must not
    /// overflow; any wait beyond `RetryPolicy.maxRetryAfter` is refused anyway.
    static let maxSeconds: Double = 31_536_000

    /// The wait the header asks for; nil when absent or unreadable. A date in the past is zero.
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty, value.utf8.count <= 64 else { return nil }
        if let seconds = Double(value), seconds.isFinite {
            return .milliseconds(Int64((min(max(0, seconds), maxSeconds) * 1_000).rounded(.up)))
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) {
                let seconds = min(max(0, date.timeIntervalSince(now)), maxSeconds)
                return .milliseconds(Int64((seconds * 1_000).rounded(.up)))
            }
        }
        return nil
    }
}
