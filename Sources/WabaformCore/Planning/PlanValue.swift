import PartnerAPIRules
import WabaformConfig

/// A value of a managed attribute, as the plan shows it.
public enum PlanValue: Sendable, Equatable {
    /// Nothing set (no webhook, default storage).
    case none
    case text(String)
    /// A region code, normalised upper-case.
    case region(String)
    /// A webhook: URL and headers, header values always secret. Headers sorted by name.
    case webhook(url: String, headers: [WebhookHeader])

    public var hasSecrets: Bool {
        if case .webhook(_, let headers) = self { return !headers.isEmpty }
        return false
    }
}

extension PlanValue {
    /// A webhook as a plan value, headers sorted by name.
    public init(_ webhook: LiveWebhook) {
        self = .webhook(
            url: webhook.url,
            headers: webhook.headers.map { WebhookHeader(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name })
    }
}
