import Foundation
import HTTPTypes
import MessagingAPI
// `UniversalClient` and `Converter`, the runtime the generated client itself calls: the
// webhook read goes through them unchanged, its 200 answer read without the generated decoder.
@_spi(Generated) import OpenAPIRuntime
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
    /// The runtime behind every webhook read, made once: its converter (a JSON encoder and
    /// decoder) cost about 1% of a plan's CPU when made for each read. Each read gives a copy
    /// its own middlewares, with its key.
    private let universal: UniversalClient

    init(
        serverURL: URL, transport: any ClientTransport, retry: RetryMiddleware, timeout: Duration, throttle: ThrottleMiddleware,
        log: RequestLogMiddleware
    ) {
        self.serverURL = serverURL
        self.transport = transport
        self.retry = retry
        self.timeout = timeout
        self.throttle = throttle
        self.log = log
        universal = UniversalClient(serverURL: serverURL, transport: transport, middlewares: [])
    }

    func client(key: Secret) -> Client {
        Client(serverURL: serverURL, transport: transport, middlewares: middlewares(key: key))
    }

    func middlewares(key: Secret) -> [any ClientMiddleware] {
        [retry, ErrorEnvelopeMiddleware(secrets: [key], timeout: timeout), AuthMiddleware(mode: .channelKey(key)), throttle, log]
    }

    /// The channel's webhook, read tolerantly (`APIAssumptions.channelWebhook(in:)`). A
    /// channel answering 404 arrives as an `APIError` for the caller to interpret
    /// (`APIAssumptions.channelWebhookIsUnset`).
    ///
    /// `getChannelWebhook` as the generated client sends it (`UniversalClient.send` with the
    /// generated serializer's steps: the same request, middlewares and error wrapping), but a
    /// 200 answer is read by `ChannelPageReader.webhook` straight from its bytes; what that
    /// reader declines is decoded the generated way, so every answer means what it meant.
    func webhook(key: Secret) async throws -> APIAssumptions.ChannelWebhookShape {
        var universal = universal
        universal.middlewares = middlewares(key: key)
        let converter = universal.converter
        return try await universal.send(
            input: Operations.getChannelWebhook.Input(), forOperation: Operations.getChannelWebhook.id,
            serializer: { input in
                // The generated `Client.getChannelWebhook` serializer, step by step.
                let path = try converter.renderedPath(template: "/v1/configs/webhook", parameters: [])
                var request = HTTPRequest(soar_path: path, method: .get)
                // What `converter.setAcceptHeader` writes for the input's default `Accept`, worked
                // out once: it cost about 22,000 instructions a request (docs/performance.md).
                request.headerFields[.accept] = Self.webhookAccept
                return (request, nil)
            },
            deserializer: { response, body in try await Self.webhookAnswer.read(response, body, converter: converter) })
    }

    /// The `Accept` header of a webhook read, as the generated serializer writes it.
    static let webhookAccept = Operations.getChannelWebhook.Input().headers.accept.map(\.rawValue).joined(separator: ", ")

    /// A `getChannelWebhook` answer as `webhook` reads it: `ChannelPageReader.webhook` first for
    /// a 200 JSON answer, otherwise the generated deserializer's steps (`GeneratedAnswer`).
    static let webhookAnswer = GeneratedAnswer<APIAssumptions.ChannelWebhookShape, Components.Schemas.ErrorEnvelope>(
        bytes: ChannelPageReader.webhook, generated: { try await generatedWebhook($0, converter: $1) })

    /// A 200 answer's body decoded as the generated client decodes it (`WebhookRead`), then
    /// read by `APIAssumptions.channelWebhook(in:)`: what the reader does not cover, and its reference.
    static func generatedWebhook(_ data: Data?, converter: Converter) async throws -> APIAssumptions.ChannelWebhookShape {
        let read = try await converter.getResponseBodyAsJSON(
            Components.Schemas.WebhookRead.self, from: data.map { HTTPBody($0) }, transforming: { $0 })
        return APIAssumptions.channelWebhook(in: read.additionalProperties.value)
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
