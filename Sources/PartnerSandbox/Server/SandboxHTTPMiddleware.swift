import Foundation
import Hummingbird
import NIOCore

/// The outermost layer of every API request: counts it for `/_sandbox/stats`, injects the
/// configured faults, and answers unknown routes in the error envelope.
struct SandboxHTTPMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    let faults: FaultInjector
    let stats: SandboxStats
    /// `usageLimit400` answers the Messaging API's throttling as HTTP 400 without Retry-After.
    var variants: Set<SandboxVariant> = []

    struct DroppedConnection: Error {}

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/_sandbox/") { return try await next(request, context) }
        let method = request.method.rawValue
        let route = RouteTable.template(for: path) ?? "(unmatched)"
        if let mode = faults.settings.hostile, mode.applies(to: method), mode != .hugeTotal || route.hasSuffix("/channels") {
            stats.record(method: method, route: route, status: 200)
            return try await Self.hostile(mode, request: request, context: context, redirectPort: faults.settings.redirectPort)
        }
        let partnerAPI = path.hasPrefix(RouteTable.partnerPrefix + "/")
        let decision = faults.decide(Self.caller(request, partnerAPI: partnerAPI))
        if decision.delayMilliseconds > 0 { try await Task.sleep(for: .milliseconds(decision.delayMilliseconds)) }
        switch decision.outcome {
        case .fail:
            stats.record(method: method, route: route, status: 503)
            return Self.envelope(status: .serviceUnavailable, message: "Service temporarily unavailable (sandbox fault)")
        case .throttle where variants.contains(.usageLimit400) && !path.hasPrefix(RouteTable.partnerPrefix + "/"):
            stats.record(method: method, route: route, status: 400)
            return Self.envelope(status: .badRequest, message: SandboxVariantMiddleware.usageLimitMessage)
        case .limited where !partnerAPI:
            stats.record(method: method, route: route, status: 400)
            return Self.envelope(status: .badRequest, message: SandboxVariantMiddleware.usageLimitMessage)
        case .throttle, .limited:
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

    /// The API and credential of `request`, for the rate limits: the channel key on the
    /// Messaging API, the partner key or bearer token on the Partner API (nil without one).
    static func caller(_ request: Request, partnerAPI: Bool) -> RateLimitWindows.Caller {
        if partnerAPI {
            return .init(messaging: false, credential: request.headers[SandboxAuthMiddleware.apiKey] ?? request.headers[.authorization])
        }
        return .init(messaging: true, credential: request.headers[SandboxAuthMiddleware.channelKey])
    }

    /// The broken answer of `mode` (see `HostileMode`).
    static func hostile(_ mode: HostileMode, request: Request, context: Context, redirectPort: Int) async throws -> Response {
        func json(_ text: String) -> Response {
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        switch mode {
        case .malformedJSON:
            return json(#"{"id": "demoPA", "partner_channels": [{"id": "abc", "#)
        case .wrongTypes:
            return json(
                #"""
                {"id": 42, "brand_name": ["x"], "webhook_url": 7, "settings": "none", "count": "many", "total": "all",
                 "offset": "0", "limit": false, "partner_channels": {"id": 1}, "url": 5, "headers": [1, 2],
                 "meta": "ok", "access_token": 12, "expires_in": "soon"}
                """#)
        case .missingFields:
            return json("{}")
        case .errorEnvelopeWith200:
            return json(
                #"{"meta": {"success": false, "http_code": 500, "developer_message": "Internal error (sandbox hostile mode)", "360dialog_trace_id": "hostile-trace"}}"#
            )
        case .redirectToOtherHost:
            let port = redirectPort > 0 ? redirectPort : (context.channel.localAddress?.port ?? 80)
            var response = Response(status: .temporaryRedirect)
            response.headers[.location] = "http://127.0.0.2:\(port)\(request.uri.description)"
            return response
        case .hugeBody:
            let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 20)
            let total = HostileMode.hugeBodyBytes
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(contentLength: total) { writer in
                    try await writer.write(ByteBuffer(string: "["))
                    var sent = 1
                    while sent + chunk.readableBytes <= total {
                        try await writer.write(chunk)
                        sent += chunk.readableBytes
                    }
                    try await writer.write(ByteBuffer(repeating: UInt8(ascii: " "), count: total - sent))
                    try await writer.finish(nil)
                })
        case .hugeTotal:
            let channels = (1...1000).map { #"{"id": "huge\#($0)CH", "client_id": "hugeCL", "status": "ready"}"# }
            return json(
                #"{"count": 1000, "total": 1000000000000, "offset": 0, "limit": 1000, "partner_channels": ["#
                    + channels.joined(separator: ", ") + "]}")
        case .trickle:
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(contentLength: 100_000) { writer in
                    // One byte every half second while the client listens (at most ten minutes).
                    let channel = context.channel
                    let deadline = ContinuousClock.now + .seconds(600)
                    try await writer.write(ByteBuffer(string: "{"))
                    while channel.isActive, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(500))
                        try await writer.write(ByteBuffer(string: " "))
                    }
                    channel.close(promise: nil)
                    throw DroppedConnection()
                })
        case .html:
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>")))
        case .echoBody:
            return try await echo(request)
        case .neverFinish:
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(contentLength: 1000) { writer in
                    try await writer.write(ByteBuffer(string: #"{"id": "#))
                    // Never finishes while the client listens: it ends when the client gives up
                    // and closes the connection (so the sandbox can still shut down), or after
                    // ten minutes.
                    let channel = context.channel
                    let deadline = ContinuousClock.now + .seconds(600)
                    while channel.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
                    channel.close(promise: nil)
                    throw DroppedConnection()
                })
        }
    }

    /// 400 in the error envelope, echoing the request's body and credential (see `.echoBody`).
    static func echo(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
        let credential =
            request.headers[.authorization] ?? request.headers[SandboxAuthMiddleware.apiKey]
            ?? request.headers[SandboxAuthMiddleware.channelKey] ?? ""
        let key = credential.hasPrefix("Bearer ") ? String(credential.dropFirst(7)) : credential
        let message =
            "Bad request: \(body) (base64: \(Data(body.utf8).base64EncodedString())); "
            + "credential \(credential); key starting \(key.prefix(8))…; key in base64 \(Data(key.utf8).base64EncodedString())"
        return envelope(status: .badRequest, message: message)
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
