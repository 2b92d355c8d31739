import Foundation
import PartnerAPIRules

/// What `wabaform doctor` may do with the APIs: read the partner, read one page of channels,
/// read a channel's webhook. Like `ReadOnlyPartnerAPI`, it holds the client privately and
/// offers no write, so no code path of the doctor can change anything (the one POST it can
/// cause is the `POST /token` sign-in of the deprecated username/password credentials).
public struct DoctorReader: Sendable {
    private let client: PartnerAPIClient

    /// Runs `body` with a reader over a new client, then shuts the client down.
    public static func withReader<T: Sendable>(
        _ configuration: PartnerAPIClient.Configuration, _ body: (DoctorReader) async throws -> T
    ) async throws -> T {
        try await PartnerAPIClient.withClient(configuration) { client in try await body(DoctorReader(client: client)) }
    }

    public var endpoints: Endpoints { client.endpoints }
    public var partnerID: String { client.partnerID }

    /// Bearer tokens fetched so far (0 with a partner key).
    public var tokensFetched: Int { get async { await client.tokensFetched } }

    public func partner() async throws -> LivePartner { try await client.partner() }

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
