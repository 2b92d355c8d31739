import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The innermost layer: waits for the host's rate limiter, then holds one of the shared
/// `--parallelism` permits while the request is sent and its whole answer read, so the
/// layers above see a complete, replayable body and a connection dropped mid-answer counts
/// as a failed attempt.
///
/// `timeout` bounds each attempt as a whole, from sending (connecting included) to the last
/// byte of the answer, in real time: a server that trickles its answer cannot hold a request
/// open beyond it (AsyncHTTPClient's read timeout alone only fires when nothing arrives).
struct ThrottleMiddleware: ClientMiddleware {
    let concurrency: ConcurrencyLimiter
    let rateLimiter: RateLimiter?
    var timeout: Duration?

    /// The largest answer accepted (a page of 1000 channels is well under 2 MiB).
    static let maxResponseBytes = 64 << 20

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        try await rateLimiter?.acquire()
        let concurrency = self.concurrency, timeout = self.timeout
        // The deadline's task group ends (awaiting every child) before `next` goes out of scope.
        return try await withoutActuallyEscaping(next) { next in
            try await concurrency.withPermit {
                try await RequestDeadline.within(timeout.map(RequestDeadline.limit(for:))) {
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
    }
}
