/// One entry of `wabas`: a selector (`id: <waba id>`, `select: all`, `select: { name: ... }`)
/// and the WABA-wide webhook it sets. Precedence is the channels' one: an `id` rule beats a
/// `select` map, which beats `select: all`; two rules of the winning rank that set different
/// webhooks are an error (docs/configuration.md, "WABA webhooks").
public struct WABARule: Sendable, Hashable {
    /// 0-based position among all `wabas` entries of the merged config (files in load order).
    public internal(set) var index: Int
    /// Where the entry starts (the `-` item).
    public let location: SourceLocation
    /// `.id`, `.all`, or `.match` with the one path `name`.
    public let selector: ChannelSelector
    /// The `id` or `select` key.
    public let selectorLocation: SourceLocation
    public let webhook: WABAWebhookSpec
    /// The `webhook` key.
    public let webhookLocation: SourceLocation

    public var rank: SelectorRank { selector.rank }
}
