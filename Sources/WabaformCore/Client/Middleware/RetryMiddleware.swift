import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Sends a request again after a 429, a 5xx, a closed connection or a timeout, waiting
/// per `RetryPolicy` on the injected clock (at least `Retry-After` when the API sent it).
/// The request body is read once into memory so every attempt sends the same bytes.
/// Cancellation is never retried, and a 4xx other than 429 never is either.
///
/// Sits outside `ErrorEnvelopeMiddleware`, so it decides on `APIError`s and
/// `APIConnectionError`s, and records how many attempts the final error took.
struct RetryMiddleware: ClientMiddleware {
    let policy: RetryPolicy
    let clock: any APIClock
    /// A number in [0, 1) for full jitter.
    let jitter: @Sendable () -> Double
    let logger: Logger
    /// Which failures this connection's requests are retried after; fixed per connection, so
    /// what an operation may resend is decided where the operation is defined.
    var scope: RetryScope = .all

    static let maxRequestBytes = 8 << 20

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var bytes: ArraySlice<UInt8>?
        if let body { bytes = try await CollectedBody.bytes(of: body, upTo: Self.maxRequestBytes) }
        var attempt = 0, failed = 0, throttled = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            do {
                return try await next(request, bytes.map(CollectedBody.body), baseURL)
            } catch {
                let failure = ClientFailure.unwrap(error)
                if Task.isCancelled || TransportFailure.isCancellation(failure) { throw CancellationError() }
                let isThrottle = (failure as? APIError)?.isThrottled == true
                if isThrottle {
                    throttled += 1
                } else {
                    failed += 1
                }
                guard policy.allowsRetry(failed: failed, throttled: throttled, lastThrottled: isThrottle),
                    let decision = decide(failure, retry: isThrottle ? throttled : failed)
                else { throw Self.recording(attempt, on: failure) }
                logger.notice(
                    "retrying after failure",
                    metadata: [
                        "operation": "\(ErrorEnvelopeMiddleware.defaultOperation(request, baseURL: baseURL))",
                        "reason": "\(decision.reason)", "attempt": "\(attempt + 1)",
                        "wait_ms":
                            "\(decision.delay.components.seconds * 1_000 + decision.delay.components.attoseconds / 1_000_000_000_000_000)",
                    ])
                try await clock.sleep(for: decision.delay)
            }
        }
    }

    private struct Decision {
        var delay: Duration
        var reason: String
    }

    /// The wait before the next attempt, or nil when the failure is final. `retry`: how many
    /// failures of this kind (429, or anything else) the request has met, for the backoff.
    private func decide(_ failure: any Error, retry attempt: Int) -> Decision? {
        if scope == .never { return nil }
        if let error = failure as? APIError {
            guard error.isThrottled || RetryPolicy.isRetryable(status: error.status) else { return nil }
            if let retryAfter = error.retryAfter, retryAfter > policy.maxRetryAfter { return nil }
            // A throttle that says when (Retry-After, 0 included) is retried then, spread by up
            // to half that again: the pacer (ThrottleMiddleware) spaces the credential and
            // narrows the host if it is load.
            let delay =
                error.isThrottled
                ? policy.delay(afterThrottle: attempt, retryAfter: error.retryAfter, unit: jitter())
                : policy.delay(forRetry: attempt, retryAfter: error.retryAfter, unit: jitter())
            return Decision(delay: delay, reason: error.isUsageLimit ? "usage limit (status 400)" : "status \(error.status)")
        }
        if let error = failure as? APIConnectionError, TransportFailure.isRetryable(error.reason) {
            return Decision(delay: policy.delay(forRetry: attempt, unit: jitter()), reason: "\(error.reason)")
        }
        return nil
    }

    private static func recording(_ attempts: Int, on failure: any Error) -> any Error {
        if var error = failure as? APIError {
            error.attempts = attempts
            return error
        }
        if var error = failure as? APIConnectionError {
            error.attempts = attempts
            return error
        }
        return failure
    }
}

/// Which failures a connection's requests are retried after.
enum RetryScope: Sendable, Equatable {
    /// 429, 5xx, timeouts and dropped connections: for reads and idempotent writes.
    case all
    /// No retry at all: the caller reads state back before it sends anything again (local
    /// storage writes: the API may take a write and still answer 429 or 5xx, and a number
    /// may re-register only 10 times in 72 hours).
    case never
}
