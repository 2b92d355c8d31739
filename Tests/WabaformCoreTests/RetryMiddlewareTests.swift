import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import Synchronization
import PartnerAPIRules
import Testing
@testable import WabaformCore

/// The retry layer on its own, against scripted failures, on the test clock.
@Suite("Retry middleware")
struct RetryMiddlewareTests {
    typealias Next = @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)

    let clock = TestClock()
    let url = URL(string: "https://hub.example.com/api/v2")!
    let request = HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/partners/demoPA")

    func middleware(attempts: Int = 4) -> RetryMiddleware {
        RetryMiddleware(
            policy: RetryPolicy(maxAttempts: attempts, baseDelay: .seconds(1), maxDelay: .seconds(4)), clock: clock,
            jitter: { 0.5 }, logger: Logger(label: "test"))
    }

    /// A `next` that fails with `failures` in order, then answers 200; counts its calls.
    func scripted(_ failures: [any Error & Sendable], calls: Counter) -> Next {
        { _, body, _ in
            let index = calls.next()
            if let body { _ = try await Data(collecting: body, upTo: 1024) }
            if index < failures.count { throw failures[index] }
            return (HTTPResponse(status: .ok), HTTPBody("ok"))
        }
    }

    func apiError(_ status: Int, retryAfter: Duration? = nil) -> APIError {
        var error = APIError(operation: "GET /partners/demoPA", status: status, developerMessage: "x", traceID: nil)
        error.retryAfter = retryAfter
        return error
    }

    @Test("429 with Retry-After: 3 waits at least 3 s on the injected clock")
    func honoursRetryAfter() async throws {
        let calls = Counter()
        let next = scripted([apiError(429, retryAfter: .seconds(3))], calls: calls)
        let (response, _) = try await middleware().intercept(request, body: nil, baseURL: url, operationID: "getPartner", next: next)
        #expect(response.status == .ok)
        #expect(calls.count == 2)
        // jitter pinned at 0.5: the wait plus half of its spread (at most 1 s)
        #expect(clock.sleeps == [.milliseconds(3_500)])
    }

    @Test("429 with Retry-After: 0 is retried at once, with no spread")
    func retryAfterZeroIsNow() async throws {
        let calls = Counter()
        let next = scripted([apiError(429, retryAfter: .zero), apiError(429, retryAfter: .zero)], calls: calls)
        let (response, _) = try await middleware().intercept(request, body: nil, baseURL: url, operationID: "getPartner", next: next)
        #expect(response.status == .ok)
        #expect(calls.count == 3)
        #expect(clock.sleeps == [.zero, .zero])
    }

    @Test("5xx, closed connections and timeouts are retried with growing backoff")
    func retriesTransientFailures() async throws {
        let calls = Counter()
        let failures: [any Error & Sendable] = [
            apiError(503),
            APIConnectionError(operation: "x", host: "h", reason: .closed),
            APIConnectionError(operation: "x", host: "h", reason: .timedOut(.seconds(5))),
        ]
        let body = HTTPBody("{\"a\":1}")
        let (response, _) = try await middleware().intercept(
            request, body: body, baseURL: url, operationID: "updatePartner", next: scripted(failures, calls: calls))
        #expect(response.status == .ok)
        #expect(calls.count == 4)
        // jitter pinned at 0.5 of ceilings 1 s, 2 s, 4 s
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    @Test("429s have their own budget: failures between them do not use it up, nor do 429s the failures'")
    func throttlingHasItsOwnBudget() async throws {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .seconds(4), maxThrottledAttempts: 5)
        let retry = RetryMiddleware(policy: policy, clock: clock, jitter: { 0.5 }, logger: Logger(label: "test"))
        // 2 failures and 4 throttles, interleaved: within both budgets, so the 7th call answers.
        let calls = Counter()
        let mixed: [any Error & Sendable] = [apiError(429), apiError(503), apiError(429), apiError(429), apiError(503), apiError(429)]
        let (response, _) = try await retry.intercept(
            request, body: nil, baseURL: url, operationID: "op", next: scripted(mixed, calls: calls))
        #expect(response.status == .ok)
        #expect(calls.count == 7)
        // The 5th 429 ends it: 5 attempts in all.
        let throttled = Counter()
        await #expect {
            _ = try await retry.intercept(
                request, body: nil, baseURL: url, operationID: "op",
                next: scripted(Array(repeating: apiError(429), count: 10), calls: throttled))
        } throws: { error in
            (error as? APIError)?.attempts == 5 && (error as? APIError)?.status == 429
        }
        #expect(throttled.count == 5)
        // A third failure ends it even with throttle budget left: 4 attempts in all.
        let failing = Counter()
        await #expect {
            _ = try await retry.intercept(
                request, body: nil, baseURL: url, operationID: "op",
                next: scripted([apiError(503), apiError(429), apiError(503), apiError(503), apiError(503)], calls: failing))
        } throws: { error in
            (error as? APIError)?.attempts == 4 && (error as? APIError)?.status == 503
        }
        #expect(failing.count == 4)
        #expect(RetryPolicy.standard.maxAttempts == 5 && RetryPolicy.standard.maxThrottledAttempts == 10)
    }

    @Test("gives up after maxAttempts and reports the attempts")
    func exhaustsAttempts() async throws {
        let calls = Counter()
        let next = scripted(Array(repeating: apiError(502), count: 10), calls: calls)
        await #expect {
            _ = try await middleware(attempts: 3).intercept(request, body: nil, baseURL: url, operationID: "op", next: next)
        } throws: { error in
            (error as? APIError)?.attempts == 3 && (error as? APIError)?.status == 502
        }
        #expect(calls.count == 3)
    }

    @Test("client errors are never retried", arguments: [400, 401, 403, 404, 409])
    func noRetryOfClientErrors(status: Int) async throws {
        let calls = Counter()
        let next = scripted([apiError(status)], calls: calls)
        await #expect(throws: APIError.self) {
            _ = try await middleware().intercept(request, body: nil, baseURL: url, operationID: "op", next: next)
        }
        #expect(calls.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test(
        "a connection that could not be made (the HTTP client already kept trying) and a cancellation are never retried",
        arguments: [
            APIConnectionError(operation: "x", host: "h", reason: .unreachable("connection refused")) as any Error,
            CancellationError(),
        ])
    func notRetried(failure: any Error) async throws {
        let calls = Counter()
        let next = scripted([failure, apiError(503)], calls: calls)
        await #expect {
            _ = try await middleware().intercept(request, body: nil, baseURL: url, operationID: "op", next: next)
        } throws: { error in
            type(of: error) == type(of: failure)
        }
        #expect(calls.count == 1)
    }

    @Test("a cancelled task stops retrying even when the failure looks transient")
    func cancelledTaskStops() async throws {
        let calls = Counter()
        let retry = middleware(attempts: 100)
        let next: Next = { _, _, _ in
            calls.next()
            withUnsafeCurrentTask { $0?.cancel() }
            throw APIConnectionError(operation: "x", host: "h", reason: .closed)
        }
        let request = self.request
        let url = self.url
        let task = Task { try await retry.intercept(request, body: nil, baseURL: url, operationID: "op", next: next) }
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(calls.count == 1)
    }

    @Test("a Retry-After beyond the policy's limit fails at once, naming the wait")
    func retryAfterTooLong() async throws {
        let calls = Counter()
        let next = scripted([apiError(429, retryAfter: .seconds(3_600))], calls: calls)
        await #expect {
            _ = try await middleware().intercept(request, body: nil, baseURL: url, operationID: "op", next: next)
        } throws: { error in
            "\(error)".contains("the API asked to wait 3600 s")
        }
        #expect(calls.count == 1)
    }
}
