/// The partner's settings that wabaform manages, as the Partner API shows them.
public struct LivePartner: Sendable, Equatable {
    public var id: String
    /// The partner's own webhook (account and channel lifecycle events); nil when unset.
    public var webhookURL: String?
    /// `partner_redirect_url`; nil when unset.
    public var redirectURL: String?
    /// `settings.default_data_localization_region`, upper-cased; nil = default storage (US).
    public var defaultLocalStorage: String?
    public var brandName: String?

    public init(
        id: String, webhookURL: String? = nil, redirectURL: String? = nil, defaultLocalStorage: String? = nil,
        brandName: String? = nil
    ) {
        self.id = id
        self.webhookURL = webhookURL
        self.redirectURL = redirectURL
        self.defaultLocalStorage = defaultLocalStorage
        self.brandName = brandName
    }
}
