import PartnerAPIRules

/// A channel's webhook: where its messages and statuses are delivered.
public struct LiveWebhook: Sendable, Equatable {
    public var url: String
    /// Sent with every delivery; values are secrets.
    public var headers: [String: Secret]

    public init(url: String, headers: [String: Secret] = [:]) {
        self.url = url
        self.headers = headers
    }
}
