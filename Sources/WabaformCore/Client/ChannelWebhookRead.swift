import PartnerAPIRules

/// What reading one channel's webhook (`GET /v1/configs/webhook` with its key) found.
public enum ChannelWebhookRead: Sendable, Equatable {
    /// A webhook is set. Header values are secrets.
    case set(url: String, headers: [String: Secret])
    /// No webhook is set (404, `{}`, `{"url": ""}` or `{"url": null}`; see `APIAssumptions`).
    case none
    /// No key was given for the channel: the webhook is unknown, never guessed.
    case missingKey
    /// The key was refused (401/403): the webhook is unknown; the error says which key.
    /// Boxed: a fleet keeps one read per channel, and the error would widen every one of them.
    indirect case rejectedKey(APIError)
    /// The API answered, but `url` or `headers` had a type wabaform cannot read: the webhook is
    /// unknown for this channel only; the text says which field.
    case unreadable(String)
    /// The read failed after every retry (5xx, 429, timeouts, dropped connections): the
    /// webhook is unknown this run; the text says what failed.
    case failed(String)

    /// The webhook as a live value: `.known(nil)` when none is set, `.unknown` without a
    /// usable key.
    public func webhook(channelID: String) -> LiveValue<LiveWebhook?> {
        switch self {
        case .set(let url, let headers): .known(LiveWebhook(url: url, headers: headers))
        case .none: .known(nil)
        case .missingKey:
            .unknown(
                reason:
                    "no channel key: set WABAFORM_CHANNEL_KEY_\(channelID) or add \(channelID) to the channel keys file (--channel-keys)")
        case .rejectedKey(let error):
            .unknown(reason: "the key for \(channelID) was rejected (\(error.status)); a newer key may have been generated")
        case .unreadable(let reason):
            .unknown(reason: "the API's answer could not be read (\(reason)); see docs/api-assumptions.md")
        case .failed(let reason):
            .unknown(reason: "reading it failed after every retry: \(reason); run again")
        }
    }
}
