/// One entry of `channels`: a selector and the attributes it manages. An attribute that
/// is nil here is not set by this rule (another rule may set it; if none does, it is
/// unmanaged). Locations point at the keys in the file, for the planner's messages.
public struct ChannelRule: Sendable, Hashable {
    /// 0-based position among all rules of the merged config (files in load order).
    public let index: Int
    /// Where the entry starts (the `-` item).
    public let location: SourceLocation
    public let selector: ChannelSelector
    /// The `id`, `phone_number` or `select` key.
    public let selectorLocation: SourceLocation
    public let webhook: WebhookSpec?
    /// The `webhook` key, when `webhook` is set.
    public let webhookLocation: SourceLocation?
    public let localStorage: LocalStorage?
    /// The `local_storage` key, when `local_storage` is set.
    public let localStorageLocation: SourceLocation?
    /// Carve-outs: attributes written as `unmanaged` (`webhook: unmanaged`). This rule takes
    /// them out of every lower-ranked rule for the channels it selects; its location for
    /// the attribute is that key.
    public let unmanaged: Set<ManagedAttribute>

    public init(
        index: Int, location: SourceLocation, selector: ChannelSelector, selectorLocation: SourceLocation,
        webhook: WebhookSpec?, webhookLocation: SourceLocation?,
        localStorage: LocalStorage?, localStorageLocation: SourceLocation?, unmanaged: Set<ManagedAttribute> = []
    ) {
        self.index = index
        self.location = location
        self.selector = selector
        self.selectorLocation = selectorLocation
        self.webhook = webhook
        self.webhookLocation = webhookLocation
        self.localStorage = localStorage
        self.localStorageLocation = localStorageLocation
        self.unmanaged = unmanaged
    }

    public var rank: SelectorRank { selector.rank }

    /// The attributes this rule manages.
    public var managedAttributes: [ManagedAttribute] {
        (webhook == nil ? [] : [.webhook]) + (localStorage == nil ? [] : [.localStorage])
    }

    /// The attributes this rule has a say about: those it sets and those it carves out.
    public var ruledAttributes: [ManagedAttribute] {
        ManagedAttribute.allCases.filter { unmanaged.contains($0) || managedAttributes.contains($0) }
    }

    /// Where this rule sets (or carves out) an attribute (the key), or nil when it does not set it.
    public func location(of attribute: ManagedAttribute) -> SourceLocation? {
        switch attribute {
        case .webhook: webhookLocation
        case .localStorage: localStorageLocation
        }
    }
}

/// The per-channel attributes a rule can manage.
public enum ManagedAttribute: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case webhook
    case localStorage = "local_storage"

    /// The config key.
    public var description: String { rawValue }

    public static func < (lhs: ManagedAttribute, rhs: ManagedAttribute) -> Bool { lhs.rawValue < rhs.rawValue }
}
