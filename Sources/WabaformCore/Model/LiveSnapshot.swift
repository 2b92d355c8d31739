/// Live state as the planner needs it: the partner, every channel, and the webhooks of the
/// channels whose webhook is managed (read with their keys). Values that could not be read
/// are `.unknown(reason:)`, never guessed.
public struct LiveSnapshot: Sendable, Equatable {
    public var partner: LivePartner
    public var channels: [LiveChannel]
    /// By channel id; a managed webhook missing here is unknown ("not read").
    public var webhooks: [String: LiveValue<LiveWebhook?>]
    /// The WABAs of the channels read (`LiveWABA.of`), sorted by id.
    public var wabas: [LiveWABA]
    /// By WABA id: the WABA webhooks read (those a `wabas` rule manages); missing = unknown.
    public var wabaWebhooks: [String: LiveValue<LiveWebhook?>]
    /// By WABA id: the channel whose key read the WABA's webhook (and writes it).
    public var wabaKeyChannels: [String: String]

    public init(
        partner: LivePartner, channels: [LiveChannel], webhooks: [String: LiveValue<LiveWebhook?>] = [:],
        wabas: [LiveWABA] = [], wabaWebhooks: [String: LiveValue<LiveWebhook?>] = [:], wabaKeyChannels: [String: String] = [:]
    ) {
        self.partner = partner
        self.channels = channels
        self.webhooks = webhooks
        self.wabas = wabas
        self.wabaWebhooks = wabaWebhooks
        self.wabaKeyChannels = wabaKeyChannels
    }
}
