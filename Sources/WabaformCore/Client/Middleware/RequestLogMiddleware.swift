import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Logs each attempt at debug level (`-v`): method, path and query, status, time. Never
/// headers or bodies, which carry keys and header values; paths and queries carry none.
/// Each attempt also goes to `RequestRecorder.current` when one is installed (`doctor`).
struct RequestLogMiddleware: ClientMiddleware {
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let recorder = RequestRecorder.current
        guard logger.logLevel <= .debug || recorder != nil else { return try await next(request, body, baseURL) }
        let start = ContinuousClock.now
        let target = "\(request.method) \(baseURL.host ?? ""):\(baseURL.port.map(String.init) ?? "")\(baseURL.path)\(request.path ?? "")"
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            logger.debug("\(target) -> \(response.status.code) in \(Self.milliseconds(since: start)) ms")
            let retryAfter = response.headerFields[.retryAfter]
            recorder?.record(
                Self.attempt(
                    request, baseURL: baseURL, status: response.status.code, start: start, retryAfter: retryAfter))
            return (response, responseBody)
        } catch {
            logger.debug("\(target) -> failed after \(Self.milliseconds(since: start)) ms: \(type(of: error))")
            recorder?.record(Self.attempt(request, baseURL: baseURL, status: nil, start: start, retryAfter: nil))
            throw error
        }
    }

    static func attempt(
        _ request: HTTPRequest, baseURL: URL, status: Int?, start: ContinuousClock.Instant, retryAfter: String?
    ) -> RequestRecorder.Attempt {
        let path = baseURL.path + (request.path ?? "").prefix { $0 != "?" }
        return RequestRecorder.Attempt(
            host: ErrorEnvelopeMiddleware.hostAndPort(baseURL), method: request.method.rawValue, path: path, status: status,
            duration: ContinuousClock.now - start, sentRetryAfter: retryAfter != nil, retryAfter: RetryAfter.parse(retryAfter))
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
