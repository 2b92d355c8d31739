/// A token bucket: on average `rate` requests per second, bursts of up to `burst`.
/// Each caller reserves its token at once (the bucket may go negative), then waits on the
/// injected clock until its token would have been refilled, so callers are served in order
/// and tests never sleep.
public actor RateLimiter {
    public nonisolated let rate: Double
    public nonisolated let burst: Int
    private let clock: any APIClock
    private var tokens: Double
    private var refilledAt: Duration

    /// `rate` requests per second (must be > 0), bursts of `burst` (at least 1).
    public init(rate: Double, burst: Int, clock: any APIClock) {
        precondition(rate > 0 && rate.isFinite, "rate must be a positive number")
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
        self.tokens = Double(max(1, burst))
        self.refilledAt = clock.now
    }

    /// Waits until the caller may send one request. A caller cancelled while waiting gives
    /// its reserved token back.
    public func acquire() async throws {
        try Task.checkCancellation()
        refill()
        tokens -= 1
        guard tokens < 0 else { return }
        let wait = Duration.seconds(-tokens / rate)
        do {
            try await clock.sleep(for: wait)
        } catch {
            tokens += 1
            throw error
        }
    }

    private func refill() {
        let now = clock.now
        let elapsed = now - refilledAt
        refilledAt = now
        guard elapsed > .zero else { return }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(Double(burst), tokens + seconds * rate)
    }
}
