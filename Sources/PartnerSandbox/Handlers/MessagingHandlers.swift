import MessagingAPI
import OpenAPIRuntime
import PartnerAPIRules

/// The Messaging API (operations tagged `messaging`): the channel is the one whose
/// D360-API-KEY `SandboxAuthMiddleware` accepted, so a key opens only its own channel.
struct MessagingHandlers: MessagingAPI.APIProtocol {
    let store: SandboxStore
    /// How long a WABA webhook write waits before it applies.
    var wabaWebhookDelay: Duration = .zero

    func getChannelWebhook(_ input: Operations.getChannelWebhook.Input) async throws
        -> Operations.getChannelWebhook.Output
    {
        let channel = try await authenticatedChannel()
        guard let webhook = channel.webhook else {
            return .notFound(.init(body: .json(Self.envelope(404, "No webhook is set for this channel"))))
        }
        var fields: [String: (any Sendable)?] = ["url": webhook.url]
        if let headers = webhook.headers { fields["headers"] = headers as [String: (any Sendable)?] }
        return .ok(.init(body: .json(.init(additionalProperties: try OpenAPIObjectContainer(unvalidatedValue: fields)))))
    }

    func setChannelWebhook(_ input: Operations.setChannelWebhook.Input) async throws
        -> Operations.setChannelWebhook.Output
    {
        let channel = try await authenticatedChannel()
        guard case .json(let body) = input.body else { throw SandboxError.badRequest("Wrong payload") }
        try Validation.webhookURL(body.url, field: "url")
        let headers = body.headers?.additionalProperties
        try Validation.headers(headers)
        let webhook = WebhookRecord(url: body.url, headers: headers?.isEmpty == true ? nil : headers)
        if channel.webhook != webhook {
            try await store.updateChannel(id: channel.id) {
                $0.webhook = webhook
                $0.modifiedAt = Timestamp.now()
            }
        }
        return .ok(.init(body: .json(.init(url: body.url))))
    }

    /// `{"url", "headers", "waba_id", "phone_numbers"}` as the reference shows it; the WABA
    /// is the one of the channel whose key is sent. `override_all` is not reported.
    func getWABAWebhook(_ input: Operations.getWABAWebhook.Input) async throws -> Operations.getWABAWebhook.Output {
        let channel = try await authenticatedChannel()
        guard let webhook = try await store.wabaWebhook(wabaID: channel.wabaID) else {
            return .notFound(.init(body: .json(Self.envelope(404, "No WABA webhook is set"))))
        }
        let numbers = await store.state.channels.values.filter { $0.wabaID == channel.wabaID }.map(\.phoneNumber).sorted()
        var fields: [String: (any Sendable)?] = [
            "url": webhook.url, "waba_id": channel.wabaID, "phone_numbers": numbers as [(any Sendable)?],
        ]
        if let headers = webhook.headers { fields["headers"] = headers as [String: (any Sendable)?] }
        return .ok(.init(body: .json(.init(additionalProperties: try OpenAPIObjectContainer(unvalidatedValue: fields)))))
    }

    /// Accepted, applied `wabaWebhookDelay` later (`--waba-webhook-delay`), answering only
    /// `{"message": …}` as the real API does.
    func setWABAWebhook(_ input: Operations.setWABAWebhook.Input) async throws -> Operations.setWABAWebhook.Output {
        let channel = try await authenticatedChannel()
        guard case .json(let body) = input.body else { throw SandboxError.badRequest("Wrong payload") }
        try Validation.webhookURL(body.url, field: "url")
        try Validation.headers(body.headers?.additionalProperties)
        let headers = body.headers?.additionalProperties
        try await store.setWABAWebhook(
            wabaID: channel.wabaID,
            WebhookRecord(url: body.url, headers: headers?.isEmpty == true ? nil : headers, overrideAll: body.override_all),
            after: wabaWebhookDelay)
        return .ok(.init(body: .json(.init(message: "Webhook URL will be set within the next 15-20 seconds"))))
    }

    private func authenticatedChannel() async throws -> ChannelRecord {
        guard case .channel(let id) = Principal.current, let channel = await store.channel(id: id) else {
            throw SandboxError.unauthorized("Invalid D360-API-KEY")
        }
        return channel
    }

    static func envelope(_ status: Int, _ message: String) -> Components.Schemas.ErrorEnvelope {
        .init(meta: .init(success: false, http_code: status, developer_message: message, _360dialog_trace_id: TraceID.next()))
    }
}
