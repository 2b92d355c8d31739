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

@Suite("Adaptive concurrency")
struct AdaptiveConcurrencyTests {
    @Test("a 429 halves the width once per epoch; successes widen it back to the limit")
    func aimd() {
        let limiter = ConcurrencyLimiter(limit: 32)
        #expect(limiter.currentLimit == 32)
        let epoch = limiter.epoch
        limiter.recordThrottled(epoch: epoch)
        // More 429s from requests admitted before the narrowing change nothing more.
        limiter.recordThrottled(epoch: epoch)
        limiter.recordThrottled(epoch: epoch)
        #expect(limiter.currentLimit == 16)
        limiter.recordThrottled(epoch: limiter.epoch)
        #expect(limiter.currentLimit == 8)
        #expect(limiter.throttleCount == 4)
        // Additive increase: 8 successes widen 8 -> 9, then 9 more -> 10.
        for _ in 0..<8 { limiter.recordSuccess() }
        #expect(limiter.currentLimit == 9)
        for _ in 0..<9 { limiter.recordSuccess() }
        #expect(limiter.currentLimit == 10)
        for _ in 0..<10_000 { limiter.recordSuccess() }
        #expect(limiter.currentLimit == 32, "never above the configured limit")
        for _ in 0..<10 { limiter.recordThrottled(epoch: limiter.epoch) }
        #expect(limiter.currentLimit == 1, "never below one")
    }

    @Test("a narrowed limiter admits no more than its width")
    func narrowedAdmission() async throws {
        let limiter = ConcurrencyLimiter(limit: 8)
        limiter.recordThrottled(epoch: limiter.epoch)
        limiter.recordThrottled(epoch: limiter.epoch)
        #expect(limiter.currentLimit == 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask { try await limiter.withPermit { try await Task.sleep(for: .milliseconds(5)) } }
            }
            try await group.waitForAll()
        }
        #expect(limiter.peak <= 2)
        #expect(limiter.inUse == 0)
    }
}
