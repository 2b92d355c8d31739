/// Reads live state, and nothing more than is asked for: the partner (one read), every
/// channel (the list pages), and the webhook of each channel the caller names (one read
/// each, with the channel's key). The one reader behind plan, apply, drift and export.
///
/// Which webhooks to read is the caller's decision (`WebhookSelection`): planning reads
/// those a rule manages, export reads all of them. The reader knows nothing of configs or
/// plans, so live state does not depend on planning.
public struct LiveStateReader: Sendable {
    public var client: any LiveStateSource
    public var keys: ChannelKeys

    public init(client: any LiveStateSource, keys: ChannelKeys) {
        self.client = client
        self.keys = keys
    }

    public struct Progress: Sendable {
        public var stage: String
        public var done: Int
        public var total: Int
    }

    /// Given every live channel, the ids whose webhook is read.
    public typealias WebhookSelection = @Sendable ([LiveChannel]) -> [String]

    public struct Result: Sendable {
        public var snapshot: LiveSnapshot
        /// Channels whose key the API rejected: an error for that channel, the rest continues.
        public var rejectedKeys: [String: APIError]
        /// Channels whose webhook read failed after every retry: unknown this run, with why.
        public var failedReads: [String: String] = [:]
    }

    public func read(
        webhooksOf selection: WebhookSelection, progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> Result {
        async let partner = client.partner()
        let channels = try await client.allChannels(progress: { done, total in
            progress?(Progress(stage: "channels", done: done, total: total))
        })
        let reads = try await client.channelWebhooks(channelIDs: selection(channels), keys: keys, progress: { done, total in
            progress?(Progress(stage: "webhooks", done: done, total: total))
        })
        var webhooks: [String: LiveValue<LiveWebhook?>] = [:]
        var rejected: [String: APIError] = [:]
        var failed: [String: String] = [:]
        for (id, read) in reads {
            webhooks[id] = read.webhook(channelID: id)
            switch read {
            case .rejectedKey(let error): rejected[id] = error
            case .failed(let reason): failed[id] = reason
            default: break
            }
        }
        return Result(
            snapshot: LiveSnapshot(partner: try await partner, channels: channels, webhooks: webhooks), rejectedKeys: rejected,
            failedReads: failed)
    }
}
