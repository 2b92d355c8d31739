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
    /// Whether two values mean the same to the API: URLs normalised (`Normalize.url`), region
    /// codes and header names without regard to case, header values exactly. Compared as
    /// values; digests are only for what a saved plan must prove without holding secrets.
    public func isEquivalent(to other: PlanValue) -> Bool { canonical == other.canonical }

    /// The value in one text form per meaning, the input of `isEquivalent` and `Digester`.
    /// Holds header values: never printed, only compared or digested.
    var canonical: String {
        switch self {
        case .none: "none"
        case .text(let text): "text:" + Normalize.url(text)
        case .region(let code): "region:" + code.uppercased()
        case .webhook(let url, let headers):
            "webhook:" + Normalize.url(url) + "\n"
                + headers.sorted { $0.name.lowercased() < $1.name.lowercased() }
                .map { "header:" + $0.name.lowercased() + "=" + $0.value.revealed }.joined(separator: "\n")
        }
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
