import PartnerAPIRules

/// How the client authenticates to the Partner API.
public enum PartnerCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The partner key, sent as `X-API-Key` (recommended) [doc].
    case apiKey(Secret)
    /// User name and password exchanged for a bearer token at `POST /token` (deprecated) [doc].
    case password(username: String, password: Secret)

    public static let apiKeyVariable = "WABAFORM_API_KEY"
    public static let usernameVariable = "WABAFORM_USERNAME"
    public static let passwordVariable = "WABAFORM_PASSWORD"

    public struct Missing: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The credentials the environment gives: `WABAFORM_API_KEY`, else `WABAFORM_USERNAME`
    /// with `WABAFORM_PASSWORD`. Empty variables count as unset.
    public static func resolve(environment: [String: String]) throws(Missing) -> PartnerCredentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let key = value(apiKeyVariable) { return .apiKey(Secret(key)) }
        switch (value(usernameVariable), value(passwordVariable)) {
        case (let username?, let password?):
            return .password(username: username, password: Secret(password))
        case (_?, nil):
            throw Missing(
                description: "\(usernameVariable) is set but \(passwordVariable) is not; set both, or set \(apiKeyVariable) (recommended)")
        case (nil, _?):
            throw Missing(
                description: "\(passwordVariable) is set but \(usernameVariable) is not; set both, or set \(apiKeyVariable) (recommended)")
        case (nil, nil):
            throw Missing(
                description:
                    "no Partner API credentials: set \(apiKeyVariable) to the partner key (or \(usernameVariable) and \(passwordVariable), deprecated)"
            )
        }
    }

    /// The warning to show when the credentials use a deprecated mechanism.
    public var deprecationWarning: String? {
        guard case .password = self else { return nil }
        return
            "\(Self.usernameVariable)/\(Self.passwordVariable) sign in with a bearer token, which 360dialog has deprecated; set \(Self.apiKeyVariable) to the partner key instead"
    }

    /// Names the mechanism, never the secret.
    public var description: String {
        switch self {
        case .apiKey: "partner key (X-API-Key)"
        case .password(let username, _): "bearer token for \(username)"
        }
    }
}
