import Foundation
import Hummingbird
import NIOCore

/// The outermost layer of every API request: counts it for `/_sandbox/stats`, injects the
/// configured faults, and answers unknown routes in the error envelope.
struct SandboxHTTPMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let faults: FaultInjector
    let stats: SandboxStats

    struct DroppedConnection: Error {}

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/_sandbox/") { return try await next(request, context) }
        let method = request.method.rawValue
        let route = RouteTable.template(for: path) ?? "(unmatched)"
        let decision = faults.decide()
        if decision.delayMilliseconds > 0 { try await Task.sleep(for: .milliseconds(decision.delayMilliseconds)) }
        switch decision.outcome {
        case .fail:
            stats.record(method: method, route: route, status: 503)
            return Self.envelope(status: .serviceUnavailable, message: "Service temporarily unavailable (sandbox fault)")
        case .throttle:
            stats.record(method: method, route: route, status: 429)
            var response = Self.envelope(status: .tooManyRequests, message: "Too many requests (sandbox fault)")
            response.headers[.retryAfter] = String(decision.retryAfterSeconds)
            return response
        case .dropBeforeHandling:
            return try drop(context, method: method, route: route)
        case .pass, .dropAfterHandling:
            break
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            let message = error.status == .notFound ? "No route for \(method) \(path)" : (error.body ?? "\(error.status)")
            response = Self.envelope(status: error.status, message: message)
        }
        if decision.outcome == .dropAfterHandling { return try drop(context, method: method, route: route) }
        stats.record(method: method, route: route, status: response.status.code)
        return response
    }

    private func drop(_ context: Context, method: String, route: String) throws -> Response {
        stats.record(method: method, route: route, status: 0)
        context.channel.close(promise: nil)
        throw DroppedConnection()
    }

    static func envelope(status: HTTPResponse.Status, message: String) -> Response {
        let body = EnvelopeErrorMiddleware.envelopeJSON(status: status.code, message: message)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
