import PartnerAPIRules
/// The desired webhook of a channel: a URL (maybe with per-channel placeholders) and
/// headers. Header values are always `Secret`.
public struct WebhookSpec: Sendable, Hashable {
    public let urlTemplate: WebhookURLTemplate
    /// Sorted by name; names are unique ignoring case.
    public let headers: [WebhookHeader]

    public init(urlTemplate: WebhookURLTemplate, headers: [WebhookHeader]) {
        self.urlTemplate = urlTemplate
        self.headers = headers.sorted { $0.name < $1.name }
    }
}

/// One webhook header. The value is sensitive: it never appears in diagnostics.
public struct WebhookHeader: Sendable, Hashable {
    public let name: String
    public let value: Secret

    public init(name: String, value: Secret) {
        self.name = name
        self.value = value
    }
}
