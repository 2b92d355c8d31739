/// Live state as the planner needs it: the partner, every channel, and the webhooks of the
/// channels whose webhook is managed (read with their keys). Values that could not be read
/// are `.unknown(reason:)`, never guessed.
public struct LiveSnapshot: Sendable, Equatable {
    public var partner: LivePartner
    public var channels: [LiveChannel]
    /// By channel id; a managed webhook missing here is unknown ("not read").
    public var webhooks: [String: LiveValue<LiveWebhook?>]

    public init(partner: LivePartner, channels: [LiveChannel], webhooks: [String: LiveValue<LiveWebhook?>] = [:]) {
        self.partner = partner
        self.channels = channels
        self.webhooks = webhooks
    }
}
