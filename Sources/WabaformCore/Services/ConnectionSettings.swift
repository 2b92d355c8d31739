import Foundation
import Logging

/// What every command that talks to the APIs needs, from flags and the environment
/// (product spec, section 2). Resolving it checks everything before any request.
///
/// The environment and the endpoints are given; every other setting has the default the CLI
/// uses without its flag, and is set by name.
public struct ConnectionSettings: Sendable {
    /// `--api-url` (else `WABAFORM_API_URL`, else the real API).
    public var apiURL: String?
    /// `--messaging-url` (else `WABAFORM_MESSAGING_URL`, else the real API).
    public var messagingURL: String?
    public var environment: [String: String]
    /// `--channel-keys` (else `WABAFORM_CHANNEL_KEYS_FILE`).
    public var channelKeysFile: String?
    /// `--channel-keys-command` (else `WABAFORM_CHANNEL_KEYS_COMMAND`).
    public var channelKeysCommand: String?
    /// Where the keys command's stderr goes (scrubbed of secrets); the CLI passes stderr.
    public var helperOutput: @Sendable (String) -> Void = { _ in }
    public var parallelism = 8
    /// Requests per second per API host; nil = the default for the host (see `resolve`), 0 = no limit.
    public var rateLimit: Double?
    public var timeout = Duration.seconds(30)
    public var logger = Logger(label: "wabaform", factory: { _ in SwiftLogNoOpLogHandler() })
    /// How failed requests are retried. The CLI keeps `.standard`; in-process tests shorten the
    /// waits (the attempts stay the same) so a fault soak is not spent sleeping.
    public var retryPolicy: RetryPolicy = .standard

    public init(apiURL: String? = nil, messagingURL: String? = nil, environment: [String: String]) {
        self.apiURL = apiURL
        self.messagingURL = messagingURL
        self.environment = environment
    }

    public struct Resolved: Sendable {
        public var client: PartnerAPIClient.Configuration
        public var keys: ChannelKeys
        /// Warnings to show once (e.g. the deprecated username/password sign-in).
        public var warnings: [String]
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Endpoints, credentials and channel keys, or the first problem in words a user can act on.
    public func resolve(partnerID: String) throws(Invalid) -> Resolved {
        let endpoints: Endpoints
        do { endpoints = try Endpoints.resolve(apiURL: apiURL, messagingURL: messagingURL, environment: environment) } catch {
            throw Invalid(description: error.description)
        }
        let credentials: PartnerCredentials
        do { credentials = try PartnerCredentials.resolve(environment: environment) } catch {
            throw Invalid(description: error.description)
        }
        let keys: ChannelKeys
        do {
            keys = try ChannelKeys.load(
                file: channelKeysFile, command: channelKeysCommand, environment: environment, helperOutput: helperOutput)
        } catch {
            throw Invalid(description: error.description)
        }
        // The client-side limit protects the real API; a sandbox on loopback needs none.
        let local =
            Endpoints.isLoopback(host: endpoints.apiURL.host ?? "")
            && Endpoints.isLoopback(host: endpoints.messagingURL.host ?? "")
        let rate: Double? =
            switch rateLimit {
            case .some(let value) where value <= 0: nil
            case .some(let value): value
            case .none: local ? nil : APIAssumptions.defaultRequestsPerSecond
            }
        let configuration = PartnerAPIClient.Configuration(
            endpoints: endpoints, credentials: credentials, partnerID: partnerID, parallelism: parallelism,
            requestsPerSecond: rate, timeout: timeout, retryPolicy: retryPolicy, logger: logger)
        return Resolved(client: configuration, keys: keys, warnings: credentials.deprecationWarning.map { [$0] } ?? [])
    }
}
