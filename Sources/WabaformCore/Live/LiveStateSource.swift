import PartnerAPIRules

/// The reads live state needs. `LiveStateReader` depends on this, not on the client, so a
/// caller that only holds a `ReadOnlyPartnerAPI` cannot reach a write.
public protocol LiveStateSource: Sendable {
    func partner() async throws -> LivePartner
    func allChannels(progress: (@Sendable (_ read: Int, _ total: Int) -> Void)?) async throws -> [LiveChannel]
    /// The channels with these ids (the list filtered by id); unknown ids are left out.
    func channels(ids: [String]) async throws -> [LiveChannel]
    func channelWebhooks(
        channelIDs: [String], keys: ChannelKeys, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws -> [String: ChannelWebhookRead]
    /// Every channel and the webhooks of those `selection` picks, each page's reads started as
    /// the page arrives (`PartnerAPIClient.allChannels(progress:readingWebhooksOf:keys:webhookProgress:)`).
    func allChannels(
        progress: (@Sendable (_ read: Int, _ total: Int) -> Void)?,
        readingWebhooksOf selection: @escaping @Sendable ([LiveChannel]) -> [String], keys: ChannelKeys,
        webhookProgress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws -> (channels: [LiveChannel], webhooks: [String: ChannelWebhookRead])
    /// By WABA id, the WABA webhook read with the key of the channel given for it.
    func wabaWebhooks(keyChannels: [String: String?], keys: ChannelKeys) async throws -> [String: ChannelWebhookRead]
    /// Answers that said "later" (429, the usage-limit 400) so far, each waited out or reported.
    var throttled: Int { get }
}

extension PartnerAPIClient: LiveStateSource {}

/// The client with its write methods out of reach: `drift` is built on this.
public struct ReadOnlyPartnerAPI: LiveStateSource {
    private let client: PartnerAPIClient

    /// Runs `body` with a read-only view of a new client, then shuts the client down.
    public static func withReader<T: Sendable>(
        _ configuration: PartnerAPIClient.Configuration, _ body: (ReadOnlyPartnerAPI) async throws -> T
    ) async throws -> T {
        try await PartnerAPIClient.withClient(configuration) { client in try await body(ReadOnlyPartnerAPI(client: client)) }
    }

    public func partner() async throws -> LivePartner { try await client.partner() }

    public var throttled: Int { client.throttled }

    public func allChannels(progress: (@Sendable (Int, Int) -> Void)?) async throws -> [LiveChannel] {
        try await client.allChannels(progress: progress)
    }

    public func channelWebhooks(
        channelIDs: [String], keys: ChannelKeys, progress: (@Sendable (Int, Int) -> Void)?
    ) async throws -> [String: ChannelWebhookRead] {
        try await client.channelWebhooks(channelIDs: channelIDs, keys: keys, progress: progress)
    }

    public func channels(ids: [String]) async throws -> [LiveChannel] { try await client.channels(ids: ids) }

    public func allChannels(
        progress: (@Sendable (Int, Int) -> Void)?, readingWebhooksOf selection: @escaping @Sendable ([LiveChannel]) -> [String],
        keys: ChannelKeys, webhookProgress: (@Sendable (Int, Int) -> Void)?
    ) async throws -> (channels: [LiveChannel], webhooks: [String: ChannelWebhookRead]) {
        try await client.allChannels(progress: progress, readingWebhooksOf: selection, keys: keys, webhookProgress: webhookProgress)
    }

    public func wabaWebhooks(keyChannels: [String: String?], keys: ChannelKeys) async throws -> [String: ChannelWebhookRead] {
        try await client.wabaWebhooks(keyChannels: keyChannels, keys: keys)
    }
}

/// The reads `wabaform doctor` makes beyond those of live state, on the same read-only view
/// (no write is reachable from the doctor either; the one POST it can cause is the `POST
/// /token` sign-in of the deprecated username/password credentials).
extension ReadOnlyPartnerAPI {
    public var endpoints: Endpoints { client.endpoints }
    public var partnerID: String { client.partnerID }

    /// Bearer tokens fetched so far (0 with a partner key).
    public var tokensFetched: Int { get async { await client.tokensFetched } }

    /// One page of channels exactly as asked (no stepping, no merging), with what the API
    /// echoed about it.
    public func channelPage(offset: Int, limit: Int, sort: String?) async throws -> ChannelPageRead {
        let page = try await client.perform(
            "list channels of partner \(client.partnerID) (offset \(offset), limit \(limit))", host: client.endpoints.apiURL
        ) {
            try await client.hub.channelPage(partnerID: client.partnerID, offset: offset, limit: limit, filters: nil, sort: sort)
        }
        return ChannelPageRead(
            channels: page.channels, count: page.count, total: page.total, offset: page.offset, limit: page.limit)
    }

    /// One channel's webhook, read with `key` (`GET /v1/configs/webhook`).
    public func channelWebhook(channelID: String, key: Secret, keySource: String?) async throws -> ChannelWebhookRead {
        try await client.channelWebhook(channelID: channelID, key: key, keySource: keySource)
    }
}

/// One page of the channel list as the API answered it.
public struct ChannelPageRead: Sendable {
    public var channels: [LiveChannel]
    /// `count`, `total`, `offset` and `limit` as the API echoed them.
    public var count: Int
    public var total: Int
    public var offset: Int
    public var limit: Int
}
