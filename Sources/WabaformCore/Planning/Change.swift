/// One attribute of one resource moving from `before` to `after`.
public struct Change: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable, Codable {
        /// Set where nothing was set (e.g. enable local storage).
        case create
        case update
        /// Back to nothing (e.g. local storage back to `off`).
        case delete
        /// Region to another region: disable, then enable.
        case replace

        /// The symbol in text output.
        public var symbol: String {
            switch self {
            case .create: "+"
            case .update: "~"
            case .delete: "-"
            case .replace: "-/+"
            }
        }
    }

    public enum Attribute: String, Sendable, CaseIterable, Codable {
        case partnerWebhookURL = "webhook_url"
        case partnerRedirectURL = "redirect_url"
        case partnerDefaultLocalStorage = "default_local_storage"
        case channelWebhook = "webhook"
        case channelLocalStorage = "local_storage"
        /// A WABA's WABA-wide webhook (`waba.<id>.webhook`).
        case wabaWebhook = "waba_webhook"

        /// The attribute's name in addresses and output: `webhook` for a WABA's webhook too.
        public var key: String { self == .wabaWebhook ? "webhook" : rawValue }
    }

    public var resource: Resource
    public var attribute: Attribute
    public var action: Action
    public var before: PlanValue
    public var after: PlanValue
    /// Can interrupt a live number (local storage on a live/ready channel): needs consent.
    public var disruptive: Bool
    /// Why it is disruptive, for the reviewer.
    public var disruptionReason: String?
    /// A WABA webhook's `override_all`, sent with the write. The API does not report it
    /// back, so it is not compared: it rides along with a URL or header change.
    public var overrideAll: Bool?

    public init(
        resource: Resource, attribute: Attribute, action: Action, before: PlanValue, after: PlanValue,
        disruptive: Bool = false, disruptionReason: String? = nil, overrideAll: Bool? = nil
    ) {
        self.resource = resource
        self.attribute = attribute
        self.action = action
        self.before = before
        self.after = after
        self.disruptive = disruptive
        self.disruptionReason = disruptionReason
        self.overrideAll = overrideAll
    }

    /// `partner.webhook_url`, `channel.abcCH.webhook`, `channel.abcCH.local_storage`, `waba.123.webhook`.
    public var address: String { "\(resource.address).\(attribute.key)" }

    /// Whether either side holds a secret (webhook header values).
    public var sensitive: Bool { before.hasSecrets || after.hasSecrets }
}
