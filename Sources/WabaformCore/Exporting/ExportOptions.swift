import WabaformConfig

/// Which attributes `export` writes. Without a config: all of them. With `-f CONFIG`: only
/// those the config manages, so the export can replace that config.
public struct ExportOptions: Sendable, Equatable {
    public var partnerWebhookURL: Bool
    public var partnerRedirectURL: Bool
    public var partnerDefaultLocalStorage: Bool
    public var channelWebhooks: Bool
    public var channelLocalStorage: Bool
    /// WABA-wide webhooks (`wabas:`).
    public var wabaWebhooks: Bool

    public init(
        partnerWebhookURL: Bool = true, partnerRedirectURL: Bool = true, partnerDefaultLocalStorage: Bool = true,
        channelWebhooks: Bool = true, channelLocalStorage: Bool = true, wabaWebhooks: Bool = true
    ) {
        self.partnerWebhookURL = partnerWebhookURL
        self.partnerRedirectURL = partnerRedirectURL
        self.partnerDefaultLocalStorage = partnerDefaultLocalStorage
        self.channelWebhooks = channelWebhooks
        self.channelLocalStorage = channelLocalStorage
        self.wabaWebhooks = wabaWebhooks
    }

    /// Everything wabaform can manage.
    public static let everything = ExportOptions()

    /// The attributes `config` manages: the partner fields present in its `partner`, and a
    /// channel attribute when at least one rule sets it.
    public static func managed(by config: DesiredConfig) -> ExportOptions {
        ExportOptions(
            partnerWebhookURL: config.partner?.webhookURL != nil,
            partnerRedirectURL: config.partner?.redirectURL != nil,
            partnerDefaultLocalStorage: config.partner?.defaultLocalStorage != nil,
            channelWebhooks: config.channelRules.contains { $0.webhook != nil },
            channelLocalStorage: config.channelRules.contains { $0.localStorage != nil },
            wabaWebhooks: !config.wabaRules.isEmpty)
    }
}
