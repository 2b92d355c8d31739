/// The `partner` section. Only `id` is required; a field that is nil is unmanaged.
public struct PartnerSpec: Sendable, Hashable {
    public let id: String
    /// The partner webhook URL (no placeholders).
    public let webhookURL: String?
    /// API field `partner_redirect_url`.
    public let redirectURL: String?
    /// API field `settings.default_data_localization_region`.
    public let defaultLocalStorage: LocalStorage?

    /// The `partner` key.
    public let location: SourceLocation
    public let idLocation: SourceLocation
    public let webhookURLLocation: SourceLocation?
    public let redirectURLLocation: SourceLocation?
    public let defaultLocalStorageLocation: SourceLocation?

    public init(
        id: String, webhookURL: String?, redirectURL: String?, defaultLocalStorage: LocalStorage?,
        location: SourceLocation, idLocation: SourceLocation, webhookURLLocation: SourceLocation?,
        redirectURLLocation: SourceLocation?, defaultLocalStorageLocation: SourceLocation?
    ) {
        self.id = id
        self.webhookURL = webhookURL
        self.redirectURL = redirectURL
        self.defaultLocalStorage = defaultLocalStorage
        self.location = location
        self.idLocation = idLocation
        self.webhookURLLocation = webhookURLLocation
        self.redirectURLLocation = redirectURLLocation
        self.defaultLocalStorageLocation = defaultLocalStorageLocation
    }
}
