/// When and how long to wait before trying a request again: exponential backoff with full
/// jitter (a random wait between zero and the exponential ceiling), `Retry-After` as a
/// lower bound. A pure value: the randomness comes in as a number in [0, 1), so tests can
/// pin it.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 means never retry.
    public var maxAttempts: Int
    /// Attempts answered 429 a request may take, apart from `maxAttempts`: a 429 says "later",
    /// not "failed", so throttling is waited out longer than errors are. A request gives up
    /// at whichever limit it reaches first.
    public var maxThrottledAttempts: Int
    /// Ceiling of the wait before the first retry; it doubles for each later one.
    public var baseDelay: Duration
    /// The ceiling never grows past this.
    public var maxDelay: Duration
    /// A `Retry-After` longer than this is not waited for: the request fails instead,
    /// naming the wait the server asked for.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(120), maxThrottledAttempts: Int? = nil
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxThrottledAttempts = max(1, maxThrottledAttempts ?? maxAttempts)
        self.baseDelay = max(.zero, baseDelay)
        self.maxDelay = max(.zero, maxDelay)
        self.maxRetryAfter = max(.zero, maxRetryAfter)
    }

    /// Five failed attempts (or ten answered 429), 250 ms doubling up to 8 s, `Retry-After` up
    /// to 2 minutes.
    public static let standard = RetryPolicy(maxThrottledAttempts: 10)

    /// One attempt only.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// Whether another attempt may follow attempt number `attempt` (1-based).
    public func allowsRetry(after attempt: Int) -> Bool { attempt < maxAttempts }

    /// Whether another attempt may follow, after `failed` attempts that failed and `throttled`
    /// that were answered 429, the last one being `lastThrottled`.
    public func allowsRetry(failed: Int, throttled: Int, lastThrottled: Bool) -> Bool {
        lastThrottled ? throttled < maxThrottledAttempts && failed < maxAttempts : failed < maxAttempts
    }

    /// The backoff ceiling before retry number `retry` (1-based):
    /// `min(maxDelay, baseDelay * 2^(retry-1))`.
    public func ceiling(forRetry retry: Int) -> Duration {
        let exponent = max(0, retry - 1)
        // Doubling past 2^30 cannot matter: every sane maxDelay is reached long before.
        guard exponent < 31 else { return maxDelay }
        return min(maxDelay, baseDelay * (1 << exponent))
    }

    /// The wait before retry number `retry` (1-based): full jitter, `unit` in [0, 1) scaling
    /// the ceiling, and never less than `retryAfter` when the server sent one.
    public func delay(forRetry retry: Int, retryAfter: Duration? = nil, unit: Double) -> Duration {
        let clamped = Self.clamped(unit)
        let jittered = ceiling(forRetry: retry) * clamped
        guard let retryAfter else { return jittered }
        return max(jittered, retryAfter)
    }

    /// The wait before retrying a throttled request whose answer said when (`Retry-After`):
    /// that wait plus up to half of it again, at most `maxRetryAfterSpread` more, `unit` in
    /// [0, 1) picking where. Requests refused together (a full rate window refuses every
    /// request in flight) come back spread out, not as one burst the window refuses again:
    /// against a token bucket of 400 a second at `--parallelism 32`, retrying exactly at
    /// `Retry-After: 1` had 24 requests refused every second, each returning herd pushing
    /// out the next (5.2% of 10,575 requests wasted; 4.2% so: docs/performance.md).
    /// `Retry-After: 0` stays 0.
    public func delay(afterRetryAfter retryAfter: Duration, unit: Double) -> Duration {
        let clamped = Self.clamped(unit)
        let spread = min(retryAfter / 2, Self.maxRetryAfterSpread)
        return max(.zero, retryAfter) + max(.zero, spread) * clamped
    }

    /// The wait before resending a request after its `throttled`-th throttled answer (429 or
    /// the usage limit): `delay(afterRetryAfter:unit:)` when the answer said when, else the
    /// backoff of retry number `throttled`. The retry layer and a caller that resends a write
    /// itself (after reading it back) both wait this.
    public func delay(afterThrottle throttled: Int, retryAfter: Duration?, unit: Double) -> Duration {
        guard let retryAfter else { return delay(forRetry: throttled, unit: unit) }
        return delay(afterRetryAfter: retryAfter, unit: unit)
    }

    /// The most `delay(afterRetryAfter:unit:)` adds to a `Retry-After`: a long wait (a Partner
    /// API window of 30 s) is not made longer by much more than the spread needs.
    public static let maxRetryAfterSpread: Duration = .seconds(1)

    /// A jitter draw within [0, 1]; anything not finite is 0.
    private static func clamped(_ unit: Double) -> Double { unit.isFinite ? min(max(unit, 0), 1) : 0 }

    /// Statuses worth another attempt: 429 (throttled) and every 5xx.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }
}
