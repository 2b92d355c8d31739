import Foundation
import Testing
@testable import WabaformCore

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1))

    @Test("the ceiling doubles per retry and stops at maxDelay")
    func exponentialGrowthAndCap() {
        #expect(
            (1...6).map(policy.ceiling(forRetry:)) == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
            ])
        #expect(policy.ceiling(forRetry: 200) == .seconds(1))
    }

    @Test("full jitter spans zero to the ceiling", arguments: [1, 2, 3, 4, 5])
    func fullJitterBounds(retry: Int) {
        let ceiling = policy.ceiling(forRetry: retry)
        #expect(policy.delay(forRetry: retry, unit: 0) == .zero)
        #expect(policy.delay(forRetry: retry, unit: 0.5) == ceiling / 2)
        let top = policy.delay(forRetry: retry, unit: 0.999_999)
        #expect(top <= ceiling && top > ceiling * 0.99)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let delay = policy.delay(forRetry: retry, unit: Double.random(in: 0..<1, using: &generator))
            #expect(delay >= .zero && delay <= ceiling)
        }
    }

    @Test("Retry-After is a floor, never shortened by jitter")
    func retryAfterIsAFloor() {
        #expect(policy.delay(forRetry: 1, retryAfter: .seconds(3), unit: 0) == .seconds(3))
        #expect(policy.delay(forRetry: 1, retryAfter: .seconds(3), unit: 0.999) == .seconds(3))
        #expect(policy.delay(forRetry: 5, retryAfter: .milliseconds(10), unit: 0.5) == .milliseconds(500))
    }

    @Test("a throttle's Retry-After is waited out, plus up to half again (at most 1 s more), so a refused herd comes back spread")
    func retryAfterSpread() {
        #expect(policy.delay(afterRetryAfter: .seconds(1), unit: 0) == .seconds(1))
        #expect(policy.delay(afterRetryAfter: .seconds(1), unit: 0.5) == .milliseconds(1250))
        #expect(policy.delay(afterRetryAfter: .seconds(1), unit: 1) == .milliseconds(1500))
        // A long window: the spread stops at a second.
        #expect(policy.delay(afterRetryAfter: .seconds(30), unit: 0.5) == .milliseconds(30_500))
        #expect(policy.delay(afterRetryAfter: .seconds(30), unit: 1) == .seconds(31))
        // "Now" stays now; nonsense units are clamped.
        #expect(policy.delay(afterRetryAfter: .zero, unit: 0.9) == .zero)
        #expect(policy.delay(afterRetryAfter: .seconds(2), unit: .nan) == .seconds(2))
        #expect(policy.delay(afterRetryAfter: .seconds(2), unit: 7) == .seconds(3))
        // Spread over many draws: never under the wait, never past its bound, not all the same.
        var generator = SystemRandomNumberGenerator()
        let delays = (0..<200).map { _ in
            policy.delay(afterRetryAfter: .seconds(1), unit: Double.random(in: 0..<1, using: &generator))
        }
        #expect(delays.allSatisfy { $0 >= .seconds(1) && $0 <= .milliseconds(1500) })
        #expect(Set(delays).count > 100)
    }

    @Test("after a throttle: the Retry-After and its spread when sent, else the backoff")
    func delayAfterThrottle() {
        #expect(policy.delay(afterThrottle: 1, retryAfter: .seconds(1), unit: 0.5) == .milliseconds(1250))
        #expect(policy.delay(afterThrottle: 3, retryAfter: .zero, unit: 0.5) == .zero)
        #expect(policy.delay(afterThrottle: 3, retryAfter: nil, unit: 0.5) == policy.delay(forRetry: 3, unit: 0.5))
    }

    @Test("attempts stop at maxAttempts")
    func attemptBudget() {
        #expect(policy.allowsRetry(after: 5))
        #expect(!policy.allowsRetry(after: 6))
        #expect(!RetryPolicy.never.allowsRetry(after: 1))
    }

    @Test("429 and 5xx are retried", arguments: [429, 500, 502, 503, 504])
    func retryableStatuses(status: Int) {
        #expect(RetryPolicy.isRetryable(status: status))
    }

    @Test("other statuses are final", arguments: [200, 301, 400, 401, 403, 404, 409, 422])
    func finalStatuses(status: Int) {
        #expect(!RetryPolicy.isRetryable(status: status))
    }

    @Test("Retry-After reads seconds and HTTP dates")
    func retryAfterHeader() {
        #expect(RetryAfter.parse("3") == .seconds(3))
        #expect(RetryAfter.parse(" 0 ") == .zero)
        #expect(RetryAfter.parse("1.5") == .milliseconds(1_500))
        #expect(RetryAfter.parse(nil) == nil)
        #expect(RetryAfter.parse("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let inTen = "Tue, 14 Nov 2023 22:13:30 GMT"  // 1_700_000_010
        #expect(RetryAfter.parse(inTen, now: now) == .seconds(10))
        #expect(RetryAfter.parse(inTen, now: now + 60) == .zero)
    }
}
