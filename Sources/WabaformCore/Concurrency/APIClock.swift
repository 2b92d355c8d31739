/// The time source of the client: backoff, `Retry-After`, the rate limiter and token
/// expiry all read and wait on it, so tests inject a clock that never sleeps.
///
/// Request timeouts are not measured on it: they are enforced by the HTTP client in real
/// time, since a test clock that skips ahead would fire them at once.
public protocol APIClock: Sendable {
    /// Monotonic time since an arbitrary origin fixed when the clock was made.
    var now: Duration { get }
    /// Waits `duration` (nothing for zero or less); throws `CancellationError` when cancelled.
    func sleep(for duration: Duration) async throws
}

/// Real time, on `ContinuousClock`.
public struct SystemAPIClock: APIClock {
    private let origin: ContinuousClock.Instant

    public init() { origin = ContinuousClock.now }

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: duration)
    }
}
