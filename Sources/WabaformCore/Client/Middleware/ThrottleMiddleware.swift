import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The innermost layer: waits for the host's rate limiter (the `--rate-limit` ceiling) and the
/// credential's learned pace (`RequestPacer`), then holds one of the shared
/// `--parallelism` permits while the request is sent and its whole answer read, so the
/// layers above see a complete, replayable body and a connection dropped mid-answer counts
/// as a failed attempt.
/// Each attempt is bounded as a whole by the transport (`RequestDeadline`).
struct ThrottleMiddleware: ClientMiddleware {
    let concurrency: ConcurrencyLimiter
    let rateLimiter: RateLimiter?
    /// Learned pacing per host and credential; `host` names this API's host for it.
    var pacer: RequestPacer?
    var host = ""

    /// The largest answer accepted (a page of 1000 channels is well under 2 MiB).
    static let maxResponseBytes = 64 << 20

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        try await rateLimiter?.acquire()
        let credential = Self.credential(of: request).map(RequestPacer.identity(of:))
        let concurrency = self.concurrency, pacer = self.pacer, host = self.host
        while true {
            let slot = try await pacer?.acquire(host: host, credential: credential) ?? RequestPacer.Slot()
            do {
                return try await concurrency.withPermit {
                    // Held or slowed while this request waited for its permit: a new slot first.
                    if let pacer, !pacer.isCurrent(slot, host: host, credential: credential) { throw TakeANewSlot() }
                    let epoch = concurrency.epoch
                    let (response, responseBody) = try await next(request, body, baseURL)
                    var bytes: ArraySlice<UInt8>?
                    if let responseBody { bytes = try await CollectedBody.bytes(of: responseBody, upTo: Self.maxResponseBytes) }
                    // Adaptive width: refusals that read as load narrow it, successes widen it back.
                    let answer = Self.answer(response, bytes)
                    if pacer?.record(answer, host: host, credential: credential) == true {
                        concurrency.recordThrottled(epoch: epoch)
                    } else if response.status.kind == .successful {
                        concurrency.recordSuccess()
                    }
                    return (response, bytes.map(CollectedBody.body))
                }
            } catch is TakeANewSlot {
                continue
            }
        }
    }

    private struct TakeANewSlot: Error {}

    /// The credential header the request carries (set by `AuthMiddleware`, the layer above).
    static func credential(of request: HTTPRequest) -> String? {
        request.headerFields[AuthMiddleware.channelKeyField] ?? request.headerFields[AuthMiddleware.apiKeyField]
            ?? request.headerFields[.authorization]
    }

    /// What the answer says about the pace: a 429 or the 400 usage limit is a refusal; any other
    /// answer below 500 (a 404 for an unset webhook too) was let through.
    static func answer(_ response: HTTPResponse, _ bytes: ArraySlice<UInt8>?) -> RequestPacer.Answer {
        switch response.status.code {
        case 429: return .refused(retryAfter: RetryAfter.parse(response.headerFields[.retryAfter]))
        case 400 where APIAssumptions.isUsageLimit(status: 400, message: ErrorBody.parse(bytes ?? []).message):
            return .refused(retryAfter: RetryAfter.parse(response.headerFields[.retryAfter]), perSecond: true)
        case 200..<500: return .accepted
        default: return .other
        }
    }
}
