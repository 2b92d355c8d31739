import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The innermost layer: waits for the host's rate limiter, then holds one of the shared
/// `--parallelism` permits while the request is sent and its whole answer read, so the
/// layers above see a complete, replayable body and a connection dropped mid-answer counts
/// as a failed attempt.
struct ThrottleMiddleware: ClientMiddleware {
    let concurrency: ConcurrencyLimiter
    let rateLimiter: RateLimiter?

    /// The largest answer accepted (a page of 1000 channels is well under 2 MiB).
    static let maxResponseBytes = 64 << 20

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        try await rateLimiter?.acquire()
        return try await concurrency.withPermit {
            let epoch = concurrency.epoch
            let (response, responseBody) = try await next(request, body, baseURL)
            // Adaptive width: a 429 narrows it, successes widen it back.
            if response.status.code == 429 {
                concurrency.recordThrottled(epoch: epoch)
            } else if response.status.kind == .successful {
                concurrency.recordSuccess()
            }
            guard let responseBody else { return (response, nil) }
            let bytes = try await ArraySlice(collecting: responseBody, upTo: Self.maxResponseBytes)
            return (response, HTTPBody(bytes))
        }
    }
}
