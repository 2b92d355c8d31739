import MessagingAPI
import OpenAPIRuntime
import PartnerAPIRules

/// The WABA-wide webhook (`/waba_webhook`), called with the key of a channel of the WABA.
extension MessagingConnection {
    /// Read with the channel webhook's tolerant decoding: the same "not set" shapes, and
    /// extra fields (`waba_id`, `phone_numbers`, `override_all`) ignored.
    func wabaWebhook(key: Secret) async throws -> APIAssumptions.ChannelWebhookShape {
        guard case .ok(let ok) = try await client(key: key).getWABAWebhook(), case .json(let body) = ok.body else {
            throw UnexpectedAnswer()
        }
        return APIAssumptions.channelWebhook(in: body.additionalProperties.value)
    }

    /// Sets the WABA webhook. The answer is an acknowledgement only (`{"message": "...set
    /// within the next 15-20 seconds"}`): the change applies later, so the caller reads back.
    func setWABAWebhook(key: Secret, url: String, headers: [String: Secret]?, overrideAll: Bool) async throws {
        let wireHeaders = headers.map {
            Components.Schemas.WABAWebhookConfig.headersPayload(additionalProperties: $0.mapValues(\.revealed))
        }
        let output = try await client(key: key).setWABAWebhook(
            body: .json(.init(url: url, headers: wireHeaders, override_all: overrideAll)))
        guard case .ok = output else { throw UnexpectedAnswer() }
    }
}
