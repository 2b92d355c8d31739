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
    /// Given the WABAs of the channels read, the ids whose WABA webhook is read (none when nil).
    public var wabaSelection: WABASelection?

    public init(client: any LiveStateSource, keys: ChannelKeys, wabaSelection: WABASelection? = nil) {
        self.client = client
        self.keys = keys
        self.wabaSelection = wabaSelection
    }

    public typealias WABASelection = @Sendable ([LiveWABA]) -> [String]

    public struct Progress: Sendable {
        public var stage: String
        public var done: Int
        public var total: Int
    }

    /// Given every live channel, the ids whose webhook is read.
    public typealias WebhookSelection = @Sendable ([LiveChannel]) -> [String]

    public struct Result: Sendable {
        public var snapshot: LiveSnapshot
        /// Channels whose key the API rejected (401/403): their webhook is unknown; the
        /// key may be stale (a newer one generated). The rest continues.
        public var rejectedKeys: [String: APIError]
        /// Channels whose webhook read failed after every retry: unknown this run, with why.
        public var failedReads: [String: String] = [:]
        /// The keys used, with the keys command's answer (apply writes with these).
        public var keys: ChannelKeys = .none
        /// How the keys of the channels read fared (for `doctor`).
        public var keyUse = KeyUse()
    }

    /// Of the channels whose webhook was read: how many keys the Messaging API accepted,
    /// how many it rejected, and how many channels had no key.
    public struct KeyUse: Sendable, Equatable {
        public var accepted = 0
        public var rejected = 0
        public var missing = 0
    }

    public func read(
        webhooksOf selection: @escaping WebhookSelection, progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> Result {
        async let partner = client.partner()
        let channelProgress: @Sendable (Int, Int) -> Void = { done, total in
            progress?(Progress(stage: "channels", done: done, total: total))
        }
        let channels: [LiveChannel]
        let webhooks: WebhookReads
        if keys.pendingCommand == nil {
            // The keys are known now, so each page's webhooks are read as soon as it arrives.
            let read = try await client.allChannels(
                progress: channelProgress, readingWebhooksOf: selection, keys: keys,
                webhookProgress: { done, total in progress?(Progress(stage: "webhooks", done: done, total: total)) })
            channels = read.channels
            var out = WebhookReads(keys: keys)
            out.record(read.webhooks)
            try await readWABAWebhooks(selectedWABAs(LiveWABA.of(channels)), keys: keys, into: &out)
            webhooks = out
        } else {
            // The keys command runs once, for the channels picked from the whole list.
            channels = try await client.allChannels(progress: channelProgress)
            webhooks = try await readWebhooks(of: selection(channels), wabas: selectedWABAs(LiveWABA.of(channels)), progress: progress)
        }
        let wabas = LiveWABA.of(channels)
        return webhooks.result(LiveSnapshot(partner: try await partner, channels: channels, webhooks: webhooks.values, wabas: wabas))
    }

    func selectedWABAs(_ wabas: [LiveWABA], where include: (String) -> Bool = { _ in true }) -> [LiveWABA] {
        guard let wabaSelection else { return [] }
        let ids = Set(wabaSelection(wabas))
        return wabas.filter { ids.contains($0.id) && include($0.id) }
    }

    /// The webhooks of `selected` channels, with each channel's key, and what the reads said
    /// of the keys. The keys command runs here, once, for just these channels.
    func readWebhooks(of selected: [String], wabas: [LiveWABA] = [], progress: (@Sendable (Progress) -> Void)?) async throws -> WebhookReads
    {
        let keys = try await self.keys.resolvingCommand(for: selected + wabas.flatMap(\.channelIDs))
        let reads = try await client.channelWebhooks(
            channelIDs: selected, keys: keys,
            progress: { done, total in
                progress?(Progress(stage: "webhooks", done: done, total: total))
            })
        var out = WebhookReads(keys: keys)
        out.record(reads)
        try await readWABAWebhooks(wabas, keys: keys, into: &out)
        return out
    }

    struct WebhookReads {
        var keys: ChannelKeys
        var values: [String: LiveValue<LiveWebhook?>] = [:]
        var rejected: [String: APIError] = [:]
        var failed: [String: String] = [:]
        var use = KeyUse()
        var wabaValues: [String: LiveValue<LiveWebhook?>] = [:]
        var wabaKeyChannels: [String: String] = [:]

        mutating func record(_ reads: [String: ChannelWebhookRead]) {
            // Sized once: growing it entry by entry held the old and the new table at once, with
            // `reads` beside them, the peak of a 100,000-channel plan (~6 MB above the rest).
            values.reserveCapacity(values.count + reads.count)
            for (id, read) in reads {
                values[id] = read.webhook(channelID: id)
                switch read {
                case .set, .none, .unreadable: use.accepted += 1
                case .missingKey: use.missing += 1
                case .rejectedKey(let error):
                    rejected[id] = error
                    use.rejected += 1
                case .failed(let reason): failed[id] = reason
                }
            }
        }

        func result(_ snapshot: LiveSnapshot) -> Result {
            var snapshot = snapshot
            snapshot.wabaWebhooks = wabaValues
            snapshot.wabaKeyChannels = wabaKeyChannels
            return Result(snapshot: snapshot, rejectedKeys: rejected, failedReads: failed, keys: keys, keyUse: use)
        }
    }
}
