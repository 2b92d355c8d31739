import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Logs each attempt at debug level (`-v`): method, path and query, status, time. Never
/// headers or bodies, which carry keys and header values; paths and queries carry none.
struct RequestLogMiddleware: ClientMiddleware {
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard logger.logLevel <= .debug else { return try await next(request, body, baseURL) }
        let start = ContinuousClock.now
        let target = "\(request.method) \(baseURL.host ?? ""):\(baseURL.port.map(String.init) ?? "")\(baseURL.path)\(request.path ?? "")"
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            logger.debug("\(target) -> \(response.status.code) in \(Self.milliseconds(since: start)) ms")
            return (response, responseBody)
        } catch {
            logger.debug("\(target) -> failed after \(Self.milliseconds(since: start)) ms: \(type(of: error))")
            throw error
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
