import WabaformConfig

/// Live state as the planner needs it. The live-state reader fills it from the APIs; tests
/// build it directly. Values that could not be read are `.unknown`, never guessed.
public struct LiveSnapshot: Sendable, Equatable {
    public var partner: LivePartnerState
    /// Every channel of the partner.
    public var channels: [LiveChannelState]

    public init(partner: LivePartnerState, channels: [LiveChannelState]) {
        self.partner = partner
        self.channels = channels
    }
}

public struct LivePartnerState: Sendable, Equatable {
    public var id: String
    public var webhookURL: String?
    public var redirectURL: String?
    /// nil = default storage (US).
    public var defaultLocalStorage: String?

    public init(id: String, webhookURL: String? = nil, redirectURL: String? = nil, defaultLocalStorage: String? = nil) {
        self.id = id
        self.webhookURL = webhookURL
        self.redirectURL = redirectURL
        self.defaultLocalStorage = defaultLocalStorage
    }
}

public struct LiveChannelState: Sendable, Equatable {
    public var identity: ChannelIdentity
    public var wabaID: String
    /// Dotted field paths (`id`, `status`, `client.name`, `setup_info.phone_number`, …) to
    /// values, for `select` maps.
    public var fields: [String: String]
    /// `.known(nil)` = default storage (US).
    public var localStorage: Observed<String?>
    /// `.known(nil)` = no webhook set. Read only when a rule manages the webhook.
    public var webhook: Observed<LiveWebhook?>

    public init(
        identity: ChannelIdentity, wabaID: String, fields: [String: String], localStorage: Observed<String?>,
        webhook: Observed<LiveWebhook?>
    ) {
        self.identity = identity
        self.wabaID = wabaID
        self.fields = fields
        self.localStorage = localStorage
        self.webhook = webhook
    }
}

/// A value read from the API, or why it could not be.
public enum Observed<Value: Sendable & Equatable>: Sendable, Equatable {
    case known(Value)
    case unknown(reason: String)
}

public struct LiveWebhook: Sendable, Equatable {
    public var url: String
    /// Sorted by name.
    public var headers: [WebhookHeader]

    public init(url: String, headers: [WebhookHeader]) {
        self.url = url
        self.headers = headers.sorted { $0.name < $1.name }
    }
}
