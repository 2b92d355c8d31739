import Foundation
import MessagingAPI
import OpenAPIRuntime
import PartnerAPIRules

/// The generated Messaging API client (`MessagingAPI`) behind `PartnerAPIClient`. Each
/// call builds a client for one channel key (a cheap value), so the key is bound to the
/// request that needs it and cut out of any error message about it.
struct MessagingConnection: Sendable {
    let serverURL: URL
    let transport: any ClientTransport
    let retry: RetryMiddleware
    let timeout: Duration
    let throttle: ThrottleMiddleware
    let log: RequestLogMiddleware

    func client(key: Secret) -> Client {
        Client(
            serverURL: serverURL, transport: transport,
            middlewares: [
                retry, ErrorEnvelopeMiddleware(secrets: [key], timeout: timeout), AuthMiddleware(mode: .channelKey(key)),
                throttle, log,
            ])
    }

    /// The channel's webhook, read tolerantly (`APIAssumptions.channelWebhook(in:)`). A
    /// channel answering 404 arrives as an `APIError` for the caller to interpret
    /// (`APIAssumptions.channelWebhookIsUnset`).
    func webhook(key: Secret) async throws -> APIAssumptions.ChannelWebhookShape {
        guard case .ok(let ok) = try await client(key: key).getChannelWebhook(), case .json(let body) = ok.body else {
            throw UnexpectedAnswer()
        }
        return APIAssumptions.channelWebhook(in: body.additionalProperties.value)
    }

    /// Sets the channel's webhook; returns the URL the API echoes.
    func setWebhook(key: Secret, url: String, headers: [String: Secret]?) async throws -> String {
        let wireHeaders = headers.map { Components.Schemas.WebhookConfig.headersPayload(additionalProperties: $0.mapValues(\.revealed)) }
        let output = try await client(key: key).setChannelWebhook(body: .json(.init(url: url, headers: wireHeaders)))
        guard case .ok(let ok) = output else { throw UnexpectedAnswer() }
        // The answer is only an acknowledgement ({"url"}, {"url", "headers"}, or less); the
        // read-back after apply is what checks the change.
        if case .json(let body) = ok.body, let echoed = body.url, !echoed.isEmpty { return echoed }
        return url
    }
}
