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
    /// By WABA id, the WABA webhook read with the key of the channel given for it.
    func wabaWebhooks(keyChannels: [String: String?], keys: ChannelKeys) async throws -> [String: ChannelWebhookRead]
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

    public func allChannels(progress: (@Sendable (Int, Int) -> Void)?) async throws -> [LiveChannel] {
        try await client.allChannels(progress: progress)
    }

    public func channelWebhooks(
        channelIDs: [String], keys: ChannelKeys, progress: (@Sendable (Int, Int) -> Void)?
    ) async throws -> [String: ChannelWebhookRead] {
        try await client.channelWebhooks(channelIDs: channelIDs, keys: keys, progress: progress)
    }

    public func channels(ids: [String]) async throws -> [LiveChannel] { try await client.channels(ids: ids) }

    public func wabaWebhooks(keyChannels: [String: String?], keys: ChannelKeys) async throws -> [String: ChannelWebhookRead] {
        try await client.wabaWebhooks(keyChannels: keyChannels, keys: keys)
    }
}
