import Foundation

/// The `Retry-After` header: delta-seconds (`3`, also `2.5`) or an HTTP date.
enum RetryAfter {
    /// The wait the header asks for; nil when absent or unreadable. A date in the past is zero.
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite {
            return .milliseconds(Int64((max(0, seconds) * 1_000).rounded(.up)))
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) {
                let seconds = max(0, date.timeIntervalSince(now))
                return .milliseconds(Int64((seconds * 1_000).rounded(.up)))
            }
        }
        return nil
    }
}
