/// The desired WABA-wide webhook (`/waba_webhook`): a URL (maybe with `{waba_id}`), headers
/// (values secret) and `override_all` (when true, the WABA webhook receives the events of
/// every number of the WABA, even those with their own webhook).
public struct WABAWebhookSpec: Sendable, Hashable {
    public let urlTemplate: WebhookURLTemplate
    /// Sorted by name; names are unique ignoring case.
    public let headers: [WebhookHeader]
    public let overrideAll: Bool

    public init(urlTemplate: WebhookURLTemplate, headers: [WebhookHeader], overrideAll: Bool = false) {
        self.urlTemplate = urlTemplate
        self.headers = headers.sorted { $0.name < $1.name }
        self.overrideAll = overrideAll
    }
}
