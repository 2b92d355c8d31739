import Foundation
import HTTPTypes
import OpenAPIRuntime
import Synchronization

/// Answers in the alternative shapes of real accounts (`SandboxVariant`), by rewriting the
/// answers of the generated handlers at the HTTP level: the handlers and the store stay the
/// sandbox's own model, and each variant changes only what its name says. Outermost of the
/// OpenAPI middlewares, so it sees every answer (errors included) after the envelope is built.
struct SandboxVariantMiddleware: ServerMiddleware {
    let variants: Set<SandboxVariant>
    let store: SandboxStore
    let memory = Memory()

    /// What the variants remember between requests.
    final class Memory: Sendable {
        /// Messaging API requests seen (for `usageLimit400`'s every-Nth refusal).
        let messagingRequests = Atomic<Int>(0)
        /// Writes already answered 500 (`writeAppliedThen500`): one per target.
        let answered500 = Mutex<Set<String>>([])
    }

    /// `usageLimit400` refuses every Nth Messaging API request with the usage-limit 400.
    static let usageLimitEvery = 4
    static let usageLimitMessage = "You have exceeded the limit of requests per second for this number. Please try again later."

    static let messagingOperations: Set<String> = ["getChannelWebhook", "setChannelWebhook", "getWABAWebhook", "setWABAWebhook"]
    static let writeOperations: Set<String> = [
        "updatePartner", "setPartnerWebhookURL", "enableLocalStorage", "disableLocalStorage", "setChannelWebhook", "setWABAWebhook",
    ]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let messaging = Self.messagingOperations.contains(operationID)
        if messaging, variants.contains(.usageLimit400) {
            let n = memory.messagingRequests.add(1, ordering: .relaxed).newValue
            if n % Self.usageLimitEvery == 0 { return Self.usageLimit() }
        }
        let (response, responseBody) = try await next(request, body, metadata)
        let status = response.status.code
        var bytes = Data()
        if let responseBody { bytes = try await Data(collecting: responseBody, upTo: 64 << 20) }

        if variants.contains(.writeAppliedThen500), Self.writeOperations.contains(operationID), (200..<300).contains(status) {
            let target = operationID + " " + (request.path ?? "") + " " + (request.headerFields[SandboxAuthMiddleware.channelKey] ?? "")
            let first = memory.answered500.withLock { $0.insert(target).inserted }
            if first {
                return Self.json(
                    .internalServerError,
                    Self.envelope(500, "Internal error (sandbox variant write-applied-then-500: the change was applied)"))
            }
        }
        if messaging, variants.contains(.messagingErrorString), status == 401 || status == 403 {
            let message = (Self.object(bytes)?["meta"] as? [String: Any])?["developer_message"] as? String ?? "Unauthorized"
            return Self.json(response.status, ["error": message])
        }
        guard (200..<300).contains(status) || (operationID == "getChannelWebhook" && status == 404) else {
            return (response, HTTPBody(bytes))
        }
        switch operationID {
        case "createToken" where variants.contains(.leanToken):
            guard let token = Self.object(bytes)?["access_token"] else { break }
            return Self.json(response.status, ["token_type": "bearer", "access_token": token])
        case "setPartnerWebhookURL" where variants.contains(.webhookURLAnswersPartner):
            let partner = await store.state.partner
            let data = try JSONEncoder().encode(HubHandlers.wire(partner))
            let object = Self.object(data) ?? [:]
            return Self.json(response.status, variants.contains(.richPartner) ? Self.richPartner(object) : object)
        case "getPartner", "updatePartner":
            guard variants.contains(.richPartner), let object = Self.object(bytes) else { break }
            return Self.json(response.status, Self.richPartner(object))
        case "listChannels" where variants.contains(.richChannels):
            guard var page = Self.object(bytes), let channels = page["partner_channels"] as? [[String: Any]] else { break }
            page["partner_channels"] = channels.map(RichChannel.shape)
            page["has_more"] = false
            return Self.json(response.status, page)
        case "getChannelWebhook":
            if let shaped = await webhookRead(status: status, bytes: bytes, request: request) { return shaped }
        default:
            break
        }
        return (response, HTTPBody(bytes))
    }

    /// The channel webhook read in the variants' shapes; nil = unchanged.
    private func webhookRead(status: Int, bytes: Data, request: HTTPRequest) async -> (HTTPResponse, HTTPBody?)? {
        var object: [String: Any]
        if status == 404 {
            if variants.contains(.webhookUnsetEmptyObject) {
                object = [:]
            } else if variants.contains(.webhookUnsetEmptyURL) {
                object = ["url": ""]
            } else if variants.contains(.webhookUnsetNullURL) {
                object = ["url": NSNull()]
            } else {
                return nil
            }
        } else {
            guard let read = Self.object(bytes) else { return nil }
            object = read
        }
        if variants.contains(.webhookNullHeaders), object["headers"] == nil, !object.isEmpty { object["headers"] = NSNull() }
        if variants.contains(.webhookExtraFields) {
            let key = request.headerFields[SandboxAuthMiddleware.channelKey] ?? ""
            let channel = await store.channel(withKey: key)
            object["waba_id"] = channel?.wabaExternalID ?? NSNull()
            object["phone_numbers"] = channel.map { [$0.phoneNumber] } ?? []
            object["updated_at"] = channel?.modifiedAt ?? NSNull()
            object["delivery"] = ["retries": 3, "timeout_seconds": 20, "mode": "per_number", "flags": [true, NSNull()]]
        }
        if status == 404 || variants.contains(.webhookExtraFields) || variants.contains(.webhookNullHeaders) {
            return Self.json(.ok, object)
        }
        return nil
    }

    /// `richPartner`: the fields wabaform manages unchanged; the others as real accounts may
    /// send them, in types the contract does not guess, and more of them.
    static func richPartner(_ partner: [String: Any]) -> [String: Any] {
        var object = partner
        object["payment_required"] = "no"
        object["billing_system"] = 5
        object["blocked_new_submission"] = "false"
        object["allow_client_to_add_phone_no"] = 1
        object["logo_url"] = ["small": "https://cdn.example.com/logo-s.png", "large": NSNull()]
        object["onboarding_deeplink_add_params"] = NSNull()
        object["created_at"] = "2021-03-04T05:06:07.000Z"
        object["integration"] = ["type": "partner", "tier": 3, "flags": [true, "x", NSNull()]]
        var settings = partner["settings"] as? [String: Any] ?? [:]
        settings["standard_tiered_pricing_enabled"] = "yes"
        settings["partner_change_request"] = NSNull()
        settings["marketing_messages_lite"] = ["enabled": false]
        object["settings"] = settings
        return object
    }

    // MARK: Bodies

    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> (HTTPResponse, HTTPBody?) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return (HTTPResponse(status: status, headerFields: [.contentType: "application/json"]), HTTPBody(data))
    }

    static func envelope(_ status: Int, _ message: String) -> [String: Any] {
        ["meta": ["success": false, "http_code": status, "developer_message": message, "360dialog_trace_id": TraceID.next()]]
    }

    /// The Messaging API's usage limit: HTTP 400, no Retry-After [doc/code].
    static func usageLimit() -> (HTTPResponse, HTTPBody?) {
        json(.badRequest, envelope(400, usageLimitMessage))
    }
}
