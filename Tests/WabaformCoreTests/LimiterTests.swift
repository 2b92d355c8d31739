import Synchronization
import Testing
@testable import WabaformCore

@Suite("Rate and concurrency limits")
struct LimiterTests {
    @Test("the token bucket lets a burst through, then paces at the rate")
    func tokenBucketPaces() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(rate: 2, burst: 3, clock: clock)
        for _ in 0..<3 { try await limiter.acquire() }
        #expect(clock.now == .zero)
        #expect(clock.sleeps.isEmpty)
        for _ in 0..<4 { try await limiter.acquire() }
        // Four more at 2/s take 2 s of (test) time, half a second each.
        #expect(clock.sleeps == Array(repeating: .milliseconds(500), count: 4))
        #expect(clock.now == .seconds(2))
    }

    @Test("the bucket refills while idle, up to the burst")
    func refillsUpToBurst() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(rate: 10, burst: 2, clock: clock)
        try await limiter.acquire()
        try await limiter.acquire()
        clock.advance(by: .seconds(60))
        try await limiter.acquire()
        try await limiter.acquire()
        #expect(clock.sleeps.isEmpty)
        try await limiter.acquire()
        #expect(clock.sleeps == [.milliseconds(100)])
    }

    @Test("concurrent callers reserve successive slots")
    func concurrentReservations() async throws {
        let clock = TestClock(advancesOnSleep: false)
        let limiter = RateLimiter(rate: 4, burst: 1, clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { group.addTask { try await limiter.acquire() } }
            try await group.waitForAll()
        }
        #expect(clock.sleeps.sorted() == [.milliseconds(250), .milliseconds(500), .milliseconds(750), .seconds(1)])
    }

    @Test("no more than the limit run at once, and all finish")
    func concurrencyBound() async throws {
        let limiter = ConcurrencyLimiter(limit: 3)
        let running = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await limiter.withPermit {
                        running.enter()
                        try await Task.sleep(for: .milliseconds(2))
                        running.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(running.peak == 3)
        #expect(limiter.peak == 3)
        #expect(limiter.inUse == 0)
    }

    @Test("a cancelled waiter leaves the queue without taking a permit")
    func cancelledWaiter() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.withPermit {
            let waiter = Task { try await limiter.withPermit { 1 } }
            try await Task.sleep(for: .milliseconds(20))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        }
        #expect(limiter.inUse == 0)
        #expect(try await limiter.withPermit { 2 } == 2)
    }
}
