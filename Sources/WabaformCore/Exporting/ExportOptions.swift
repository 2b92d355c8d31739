import WabaformConfig

/// Which attributes `export` writes. Without a config: all of them. With `-f CONFIG`: only
/// those the config manages, so the export can replace that config. Start from `everything`
/// (every attribute on) or `managed(by:)` and turn attributes off.
public struct ExportOptions: Sendable, Equatable {
    public var partnerWebhookURL = true
    public var partnerRedirectURL = true
    public var partnerDefaultLocalStorage = true
    public var channelWebhooks = true
    public var channelLocalStorage = true
    /// WABA-wide webhooks (`wabas:`).
    public var wabaWebhooks = true

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
