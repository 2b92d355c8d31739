import Foundation
import HubAPI
import OpenAPIRuntime
import PartnerAPIRules

/// The Partner API (operations tagged `partner` in the contract), served from `SandboxStore`.
/// Authentication happens before these run (`SandboxAuthMiddleware`); they check what
/// depends on the resource: the partner in the path, the channel, the payload.
struct HubHandlers: HubAPI.APIProtocol {
    let store: SandboxStore
    let tokens: TokenBook
    /// Rewritten after a key is minted, so the new key is the one published.
    let keysFilePath: String?
    /// Counts local storage calls per channel (and the redundant ones).
    let stats: SandboxStats
    /// The answer shapes to use instead of the defaults (`SandboxVariant`).
    var variants: Set<SandboxVariant> = []

    func createToken(_ input: Operations.createToken.Input) async throws -> Operations.createToken.Output {
        guard case .json(let body) = input.body else { throw SandboxError.badRequest("Wrong payload") }
        let partner = await store.state.partner
        guard body.username == partner.username, body.password == partner.password else {
            throw SandboxError.unauthorized("Invalid username or password")
        }
        let issued = tokens.issue()
        return .ok(
            .init(
                body: .json(
                    .init(
                        access_token: issued.access, refresh_token: issued.refresh, token_type: "Bearer",
                        expires_in: tokens.lifetimeSeconds))))
    }

    func getPartner(_ input: Operations.getPartner.Input) async throws -> Operations.getPartner.Output {
        let partner = try await authorizedPartner(input.path.partner_id)
        return .ok(.init(body: .json(try Self.wire(partner))))
    }

    func updatePartner(_ input: Operations.updatePartner.Input) async throws -> Operations.updatePartner.Output {
        _ = try await authorizedPartner(input.path.partner_id)
        guard case .json(let patch) = input.body else { throw SandboxError.badRequest("Wrong payload") }
        if let url = patch.webhook_url { try Validation.webhookURL(url, field: "webhook_url") }
        if let url = patch.partner_redirect_url { try Validation.httpsURL(url, field: "partner_redirect_url") }
        // [open] An explicit null reverts to default storage; an absent key leaves it alone.
        var region: String??
        if let settings = patch.settings?.additionalProperties.value {
            for key in settings.keys where key != "default_data_localization_region" {
                throw SandboxError.badRequest("Wrong payload: unknown field settings.\(key)")
            }
            if let entry = settings["default_data_localization_region"] {
                switch entry {
                case nil: region = .some(nil)
                case let code as String: region = .some(try Validation.region(code))
                default:
                    throw SandboxError.badRequest("Wrong payload: settings.default_data_localization_region must be a region code or null")
                }
            }
        }
        let updated = try await store.updatePartner { partner in
            if let url = patch.webhook_url { partner.webhookURL = url }
            if let url = patch.partner_redirect_url { partner.redirectURL = url }
            if let region { partner.defaultLocalStorage = region }
        }
        return .ok(.init(body: .json(try Self.wire(updated))))
    }

    func getPartnerWebhookURL(_ input: Operations.getPartnerWebhookURL.Input) async throws
        -> Operations.getPartnerWebhookURL.Output
    {
        let partner = try await authorizedPartner(input.path.partner_id)
        return .ok(.init(body: .json(.init(webhook_url: partner.webhookURL ?? ""))))
    }

    func setPartnerWebhookURL(_ input: Operations.setPartnerWebhookURL.Input) async throws
        -> Operations.setPartnerWebhookURL.Output
    {
        _ = try await authorizedPartner(input.path.partner_id)
        guard case .json(let body) = input.body else { throw SandboxError.badRequest("Wrong payload") }
        try Validation.webhookURL(body.webhook_url, field: "webhook_url")
        let updated = try await store.updatePartner { $0.webhookURL = body.webhook_url }
        return .ok(.init(body: .json(.init(webhook_url: updated.webhookURL ?? ""))))
    }

    func listChannels(_ input: Operations.listChannels.Input) async throws -> Operations.listChannels.Output {
        _ = try await authorizedPartner(input.path.partner_id)
        let query: ChannelQuery
        do {
            query = try ChannelQuery(
                filters: input.query.filters, sort: input.query.sort, limit: input.query.limit,
                offset: input.query.offset)
        } catch { throw SandboxError.badRequest(error.message) }
        let (total, page) = await store.channelPage(query)
        return .ok(
            .init(body: .json(try Self.channelList(query, total: total, page: page, storageField: !variants.contains(.noStorageField)))))
    }

    /// A channel page as the contract types it (`ChannelPageJSON` writes the same bytes).
    static func channelList(_ query: ChannelQuery, total: Int, page: [ChannelRecord], storageField: Bool) throws
        -> Components.Schemas.ChannelList
    {
        .init(
            count: page.count, total: total, offset: query.offset, limit: query.limit,
            sort: [(query.descending ? "-" : "") + query.sortPath],
            filters: .init(additionalProperties: try OpenAPIObjectContainer(unvalidatedValue: query.filtersEcho)),
            partner_channels: try page.map { try wire($0, storageField: storageField) })
    }

    func createChannelAPIKey(_ input: Operations.createChannelAPIKey.Input) async throws
        -> Operations.createChannelAPIKey.Output
    {
        _ = try await authorizedPartner(input.path.partner_id)
        let channelID = input.path.channel_id
        guard let key = try await store.mintKey(channelID: channelID) else {
            throw SandboxError.notFound("Channel \(channelID) not found")
        }
        if let keysFilePath { try await KeysFile.write(store: store, to: keysFilePath) }
        let channel = await store.channel(id: channelID)
        return .created(
            .init(
                body: .json(
                    .init(
                        id: "key-" + SandboxKeys.derived("key-id:\(key)").prefix(12), address: channel?.phoneNumber,
                        api_key: key, app_id: channel.map { $0.id + "-app" }))))
    }

    func enableLocalStorage(_ input: Operations.enableLocalStorage.Input) async throws
        -> Operations.enableLocalStorage.Output
    {
        _ = try await authorizedPartner(input.path.partner_id)
        guard case .json(let body) = input.body else { throw SandboxError.badRequest("Wrong payload") }
        let region = try Validation.region(body.data_localization_region)
        try await updateStorage(client: input.path.client_id, channel: input.path.channel_id, region: region)
        return .ok(.init(body: .json(Self.success)))
    }

    func disableLocalStorage(_ input: Operations.disableLocalStorage.Input) async throws
        -> Operations.disableLocalStorage.Output
    {
        _ = try await authorizedPartner(input.path.partner_id)
        try await updateStorage(client: input.path.client_id, channel: input.path.channel_id, region: nil)
        return .ok(.init(body: .json(Self.success)))
    }

    // MARK: Helpers

    private static let success = Components.Schemas.SuccessEnvelope(
        meta: .init(
            success: true, http_code: 200, developer_message: "Local storage setting successfully adjusted."))

    /// The partner, when the path names the partner the credentials belong to.
    private func authorizedPartner(_ id: String) async throws -> PartnerRecord {
        let partner = await store.state.partner
        guard id == partner.id, Principal.current == .partner(id: partner.id) else {
            throw SandboxError.forbidden("Permission denied for partner \(id)")
        }
        return partner
    }

    private func updateStorage(client: String, channel channelID: String, region: String?) async throws {
        guard let channel = await store.channel(id: channelID), channel.clientID == client else {
            throw SandboxError.notFound("Channel \(channelID) of client \(client) not found")
        }
        stats.recordLocalStorage(channelID: channelID, redundant: channel.localStorage == region)
        if channel.localStorage == region { return }
        try await store.updateChannel(id: channelID) { record in
            record.localStorage = region
            record.modifiedAt = Timestamp.now()
        }
    }

    /// The partner object. Only `id` is declared in the contract (real partner objects vary);
    /// the rest travel as undeclared fields.
    static func wire(_ partner: PartnerRecord) throws -> Components.Schemas.Partner {
        typealias Object = [String: (any Sendable)?]
        let fields: Object = [
            "brand_name": partner.brandName, "logo_url": nil, "country": partner.country,
            "webhook_url": partner.webhookURL, "partner_redirect_url": partner.redirectURL,
            "allow_client_to_add_phone_no": true,
            "settings": [
                "default_data_localization_region": partner.defaultLocalStorage,
                "standard_tiered_pricing_enabled": true, "partner_change_request": ["auto_approve": false] as Object,
            ] as Object,
            "payment_required": false, "billing_system": "sandbox", "blocked_new_submission": false,
            "onboarding_deeplink_add_params": false,
        ]
        return .init(id: partner.id, additionalProperties: try OpenAPIObjectContainer(unvalidatedValue: fields))
    }

    /// The channel object. Only `id` is declared in the contract (real channel objects vary);
    /// the rest, and the [open] data_localization_region, travel as undeclared fields
    /// (`ChannelRecord.wireMembers`).
    static func wire(_ channel: ChannelRecord, storageField: Bool = true) throws -> Components.Schemas.Channel {
        let fields = WireValue.dictionary(channel.wireMembers(storageField: storageField))
        return .init(id: channel.id, additionalProperties: try OpenAPIObjectContainer(unvalidatedValue: fields))
    }
}
