import PartnerAPIRules

extension PartnerAPIClient {
    /// A WABA's webhook, read on the Messaging API with the key of one of its channels. The
    /// answers mean what they mean for a channel's webhook (`channelWebhook`): 404 or an empty
    /// `url` is "none", 401/403 a rejected key.
    public func wabaWebhook(wabaID: String, channelID: String, key: Secret, keySource: String? = nil) async throws -> ChannelWebhookRead {
        let operation = "GET webhook of WABA \(wabaID) (key of channel \(channelID)" + (keySource.map { ", from \($0)" } ?? "") + ")"
        return try await webhookRead(operation) { try await messaging.wabaWebhook(key: key) }
    }

    /// Sets a WABA's webhook with the key of one of its channels (`POST /waba_webhook`). The
    /// API applies it asynchronously: read it back (`wabaWebhook`) to know when it holds.
    public func setWABAWebhook(
        wabaID: String, channelID: String, key: Secret, url: String, headers: [String: Secret]?, overrideAll: Bool,
        keySource: String? = nil
    ) async throws {
        let operation = "POST webhook of WABA \(wabaID) (key of channel \(channelID)" + (keySource.map { ", from \($0)" } ?? "") + ")"
        try UnsendableValue.check(operation: operation, url: url, headers: headers)
        try await perform(operation, host: endpoints.messagingURL) {
            try await messaging.setWABAWebhook(key: key, url: url, headers: headers, overrideAll: overrideAll)
        }
    }

    /// The webhooks of many WABAs, each with the key of its channel in `keyChannels`
    /// (`.missingKey` without one); a failed read is `.failed` for that WABA only.
    public func wabaWebhooks(keyChannels: [String: String?], keys: ChannelKeys) async throws -> [String: ChannelWebhookRead] {
        let ids = keyChannels.keys.sorted()
        let reads = try await FanOut.map(ids, width: parallelism) { [self] id -> ChannelWebhookRead in
            guard let channelID = keyChannels[id] ?? nil, let entry = keys.entry(for: channelID) else { return .missingKey }
            do {
                return try await wabaWebhook(wabaID: id, channelID: channelID, key: entry.key, keySource: entry.source)
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as APIConnectionError {
                if case .invalidResponse(let reason) = error.reason { return .unreadable(reason) }
                return .failed("\(error)")
            } catch {
                return .failed("\(error)")
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(ids, reads))
    }
}
