import HTTPTypes
import OpenAPIRuntime

/// Answers a well-formed `getChannelWebhook` request for a channel with a webhook with
/// `ChannelPageJSON.webhook`'s bytes instead of the generated server's (the same bytes): it is
/// one request per channel in every plan, and the generated way (Accept parsing, an
/// `OpenAPIObjectContainer` through `JSONEncoder`) cost the sandbox about a fifth of its CPU,
/// on the cores the client under test shares. Anything else — no webhook, an `Accept` other
/// than JSON or `*/*`, a query — goes on to the generated handler. Runs inside
/// `SandboxAuthMiddleware`, so the caller's channel is known.
struct WebhookAnswerMiddleware: ServerMiddleware {
    let store: SandboxStore

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == "getChannelWebhook", request.path?.contains("?") == false,
            request.headerFields[.accept].map({ $0 == "application/json" || $0 == "*/*" }) ?? true,
            case .channel(let id) = Principal.current, let webhook = await store.channel(id: id)?.webhook
        else { return try await next(request, body, metadata) }
        var response = HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "application/json; charset=utf-8"
        return (response, HTTPBody(ChannelPageJSON.webhook(url: webhook.url, headers: webhook.headers)))
    }
}
