import PartnerAPIRules

extension PartnerAPIClient {
    /// One channel's webhook, read on the Messaging API with the channel's own key:
    /// `.set` with URL and headers, `.none` when no webhook is set (404, `{}`, an empty or
    /// null `url`), `.unreadable` when the answer's `url`/`headers` have another type,
    /// `.rejectedKey` when the API refuses the key (401/403). Any other failure throws.
    public func channelWebhook(channelID: String, key: Secret, keySource: String? = nil) async throws -> ChannelWebhookRead {
        let operation = "GET webhook of channel \(channelID)" + (keySource.map { " (key from \($0))" } ?? "")
        return try await webhookRead(operation) { try await messaging.webhook(key: key) }
    }

    /// What a webhook read means, for a channel's webhook and a WABA's alike: the answer's
    /// shape (`APIAssumptions.channelWebhook(in:)`) within `ResponseBounds`, a 404 as "none"
    /// and 401/403 as a rejected key. Any other failure throws.
    func webhookRead(
        _ operation: String, _ read: () async throws -> APIAssumptions.ChannelWebhookShape
    ) async throws -> ChannelWebhookRead {
        do {
            switch try await perform(operation, host: endpoints.messagingURL, read) {
            case .set(let url, let headers):
                if let problem = ResponseBounds.problem(webhook: LiveWebhook(url: url, headers: headers)) { return .unreadable(problem) }
                return .set(url: url, headers: headers)
            case .unset: return .none
            case .malformed(let reason): return .unreadable(reason)
            }
        } catch let error as APIError where APIAssumptions.channelWebhookIsUnset(status: error.status) {
            return .none
        } catch let error as APIError where APIAssumptions.channelKeyRejected(status: error.status) {
            return .rejectedKey(error)
        }
    }

    /// The webhooks of many channels, each read with its key from `keys`, at most
    /// `parallelism` at once: `.missingKey` for a channel without a key, `.rejectedKey` for
    /// one whose key is refused, `.failed` for one whose read failed after every retry (the
    /// others carry on). When reads keep failing (`ReadFailureBreaker`) the API is taken to
    /// be down and the first failure past the limit is thrown.
    /// `progress` is called with (channels done, channels asked for).
    public func channelWebhooks(
        channelIDs: [String], keys: ChannelKeys, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> [String: ChannelWebhookRead] {
        let (batches, feed) = AsyncStream.makeStream(of: [String].self)
        feed.yield(channelIDs)
        feed.finish()
        return try await channelWebhooks(streaming: batches, keys: keys, progress: progress)
    }

    /// Every channel (`allChannels`) and the webhooks of the channels `selection` picks, the
    /// reads of each page's channels started as soon as that page arrives rather than after
    /// the last one (a 10,000-channel list took about half a second to arrive). The same
    /// channels and the same reads as `allChannels` then `channelWebhooks(channelIDs:
    /// selection(channels))`: `selection` must pick channel by channel (a filter), reads of
    /// channels it would not pick from the list as a whole are dropped, and any it would pick
    /// that were not read yet are read at the end. If the list cannot be read, the reads are
    /// cancelled and the list's error is thrown. The keys must be known (no keys command to run).
    public func allChannels(
        progress: (@Sendable (_ read: Int, _ total: Int) -> Void)?,
        readingWebhooksOf selection: @escaping @Sendable ([LiveChannel]) -> [String], keys: ChannelKeys,
        webhookProgress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws -> (channels: [LiveChannel], webhooks: [String: ChannelWebhookRead]) {
        let (batches, feed) = AsyncStream.makeStream(of: [String].self)
        defer { feed.finish() }
        async let early = channelWebhooks(streaming: batches, keys: keys, progress: webhookProgress)
        let channels = try await allChannels(
            progress: progress, eachPage: { page in feed.yield(selection(page.filter { ResponseBounds.problem(channel: $0) == nil })) })
        feed.finish()
        var webhooks = try await early
        let selected = Set(selection(channels))
        webhooks = webhooks.filter { selected.contains($0.key) }
        let missed = selected.filter { webhooks[$0] == nil }
        if !missed.isEmpty {
            webhooks.merge(try await channelWebhooks(channelIDs: Array(missed), keys: keys)) { read, _ in read }
        }
        return (channels, webhooks)
    }

    /// The webhooks of the channel ids arriving in `batches`, each read once, at most
    /// `parallelism` at once, until the batches end.
    func channelWebhooks(
        streaming batches: AsyncStream<[String]>, keys: ChannelKeys, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    ) async throws -> [String: ChannelWebhookRead] {
        let breaker = ReadFailureBreaker(total: 0)
        return try await withThrowingTaskGroup(of: (String, ChannelWebhookRead).self) { group in
            var reads: [String: ChannelWebhookRead] = [:]
            var started = Set<String>()
            var running = 0
            func record(_ done: (String, ChannelWebhookRead)) {
                reads[done.0] = done.1
                running -= 1
                progress?(reads.count, started.count)
            }
            for await batch in batches {
                let fresh = batch.filter { started.insert($0).inserted }.sorted()
                await breaker.expect(fresh.count)
                for id in fresh {
                    if running >= max(1, parallelism), let done = try await group.next() { record(done) }
                    group.addTask { [self] in (id, try await webhookRead(of: id, keys: keys, breaker: breaker)) }
                    running += 1
                }
            }
            while let done = try await group.next() { record(done) }
            return reads
        }
    }

    /// One channel's webhook read for a run of many: `.missingKey` without a key, a failure
    /// after every retry as `.failed` (or the breaker's stop when the API seems down).
    private func webhookRead(of id: String, keys: ChannelKeys, breaker: ReadFailureBreaker) async throws -> ChannelWebhookRead {
        guard let entry = keys.entry(for: id) else { return ChannelWebhookRead.missingKey }
        do {
            let read = try await channelWebhook(channelID: id, key: entry.key, keySource: entry.source)
            await breaker.succeeded()
            return read
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as APIConnectionError {
            // An answer that is not JSON of the expected kind is this channel's problem:
            // its webhook is unknown, the others carry on (and the API is not "down").
            if case .invalidResponse(let reason) = error.reason {
                await breaker.succeeded()
                return .unreadable(reason)
            }
            if let stop = await breaker.failed(error) { throw stop }
            return .failed("\(error)")
        } catch {
            if let stop = await breaker.failed(error) { throw stop }
            return .failed("\(error)")
        }
    }

    /// Sets one channel's webhook with the channel's key (`POST /v1/configs/webhook`);
    /// returns the URL the API echoes. A refused key throws `APIError` (401/403).
    @discardableResult
    public func setChannelWebhook(
        channelID: String, key: Secret, url: String, headers: [String: Secret]? = nil, keySource: String? = nil
    ) async throws -> String {
        let operation = "POST webhook of channel \(channelID)" + (keySource.map { " (key from \($0))" } ?? "")
        try UnsendableValue.check(operation: operation, url: url, headers: headers)
        return try await perform(operation, host: endpoints.messagingURL) {
            try await messaging.setWebhook(key: key, url: url, headers: headers)
        }
    }
}
