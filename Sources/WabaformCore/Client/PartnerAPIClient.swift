import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OpenAPIRuntime
import PartnerAPIRules

/// The client of the Partner API and the Messaging API, over AsyncHTTPClient and the
/// generated contract.
///
/// Every request goes through the same layers (outermost first):
/// `RetryMiddleware` (429, 5xx, closed connections and timeouts, with backoff and full
/// jitter on the injected clock, `Retry-After` honoured) → `ErrorEnvelopeMiddleware`
/// (non-2xx → `APIError`, transport failure → `APIConnectionError`) → `AuthMiddleware`
/// (the one place a key is revealed) → `ThrottleMiddleware` (the host's rate limiter, then
/// one of the `parallelism` permits shared by both APIs).
///
/// Errors thrown are `APIError` (the API answered with an error), `APIConnectionError` (no
/// usable answer), `ChannelListError` (paging saw an inconsistent list) or
/// `CancellationError`; their descriptions are messages for the user and never hold a key.
///
/// Own one per run, and call `shutdown()` when done (or use `withClient`).
public final class PartnerAPIClient: Sendable {
    public struct Configuration: Sendable {
        public var endpoints: Endpoints
        public var credentials: PartnerCredentials
        /// The partner whose settings and channels are read (`partner.id` of the config).
        public var partnerID: String
        /// Requests in flight at once, across both APIs (`--parallelism`).
        public var parallelism: Int
        /// Client-side rate limit per API host, requests per second; nil = none.
        public var requestsPerSecond: Double?
        /// Requests that may go at once before the rate limit applies; nil = one second's worth.
        public var burst: Int?
        /// Limit for each request attempt as a whole, connecting (at most 10 s of it) to the
        /// last byte of the answer.
        public var timeout: Duration
        public var retryPolicy: RetryPolicy
        /// Time for backoff, `Retry-After`, rate limiting and token expiry (tests inject one).
        public var clock: any APIClock
        /// Numbers in [0, 1) for full jitter.
        public var jitter: @Sendable () -> Double
        /// Retries and warnings (the bearer deprecation) are logged here; never a secret.
        public var logger: Logger

        public init(
            endpoints: Endpoints, credentials: PartnerCredentials, partnerID: String, parallelism: Int = 8,
            requestsPerSecond: Double? = APIAssumptions.defaultRequestsPerSecond, burst: Int? = nil,
            timeout: Duration = .seconds(30), retryPolicy: RetryPolicy = .standard,
            clock: any APIClock = SystemAPIClock(), jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
            logger: Logger = Logger(label: "wabaform.client")
        ) {
            self.endpoints = endpoints
            self.credentials = credentials
            self.partnerID = partnerID
            self.parallelism = parallelism
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.timeout = timeout
            self.retryPolicy = retryPolicy
            self.clock = clock
            self.jitter = jitter
            self.logger = logger
        }
    }

    public let partnerID: String
    public let endpoints: Endpoints
    /// The limiter every request passes through (`parallelism`).
    public let concurrency: ConcurrencyLimiter
    let parallelism: Int
    let logger: Logger
    let httpClient: HTTPClient
    let hub: HubConnection
    /// The same connection without retries, for writes that must never be sent twice blindly
    /// (local storage: the caller reads state back first).
    let hubUnretried: HubConnection
    let messaging: MessagingConnection
    let tokenSource: BearerTokenSource?
    /// The retry layer's policy, clock and jitter, for callers that resend themselves.
    let retry: RetryMiddleware
    /// Learned pacing per API host and per credential.
    public let pacer: RequestPacer
    /// Throttled answers (429 and the 400 usage limit) this client has met: the pacer's count,
    /// which sees every answer.
    public var throttled: Int { pacer.refusals.all }

    public init(configuration: Configuration) {
        let parallelism = max(1, configuration.parallelism)
        self.parallelism = parallelism
        partnerID = configuration.partnerID
        endpoints = configuration.endpoints
        logger = configuration.logger
        httpClient = HTTPClientFactory.make(parallelism: parallelism, timeout: configuration.timeout)
        let transport = WholeBodyTransport(client: httpClient, timeout: configuration.timeout)
        concurrency = ConcurrencyLimiter(limit: parallelism)

        func rateLimiter() -> RateLimiter? {
            guard let rate = configuration.requestsPerSecond, rate > 0, rate.isFinite else { return nil }
            let burst = configuration.burst ?? max(1, Int(rate.rounded(.down)))
            return RateLimiter(rate: rate, burst: burst, clock: configuration.clock)
        }
        let retry = RetryMiddleware(
            policy: configuration.retryPolicy, clock: configuration.clock, jitter: configuration.jitter,
            logger: configuration.logger)
        self.retry = retry
        let pacer = RequestPacer(clock: configuration.clock)
        self.pacer = pacer
        let hubThrottle = ThrottleMiddleware(
            concurrency: concurrency, rateLimiter: rateLimiter(), pacer: pacer,
            host: ErrorEnvelopeMiddleware.hostAndPort(configuration.endpoints.apiURL))
        let messagingThrottle = ThrottleMiddleware(
            concurrency: concurrency, rateLimiter: rateLimiter(), pacer: pacer,
            host: ErrorEnvelopeMiddleware.hostAndPort(configuration.endpoints.messagingURL))

        let auth: AuthMiddleware.Mode
        let secrets: [Secret]
        switch configuration.credentials {
        case .apiKey(let key):
            auth = .partnerKey(key)
            secrets = [key]
            tokenSource = nil
        case .password(let username, let password):
            secrets = [password]
            let signIn = HubConnection(
                serverURL: configuration.endpoints.apiURL, transport: transport,
                middlewares: [
                    retry, ErrorEnvelopeMiddleware(secrets: secrets, timeout: configuration.timeout), hubThrottle,
                    RequestLogMiddleware(logger: configuration.logger),
                ])
            let logger = configuration.logger
            let warning = configuration.credentials.deprecationWarning ?? ""
            let source = BearerTokenSource(
                clock: configuration.clock, onFirstFetch: { logger.warning("\(warning)") },
                fetch: {
                    try await Self.naming("sign in as \(username) (POST /token)", host: configuration.endpoints.apiURL) {
                        try await signIn.token(username: username, password: password)
                    }
                })
            tokenSource = source
            auth = .bearer(source)
        }
        func hubConnection(retry: RetryMiddleware) -> HubConnection {
            HubConnection(
                serverURL: configuration.endpoints.apiURL, transport: transport,
                middlewares: [
                    retry, ErrorEnvelopeMiddleware(secrets: secrets, timeout: configuration.timeout),
                    AuthMiddleware(mode: auth), hubThrottle, RequestLogMiddleware(logger: configuration.logger),
                ])
        }
        hub = hubConnection(retry: retry)
        var once = retry
        once.scope = .never
        hubUnretried = hubConnection(retry: once)
        messaging = MessagingConnection(
            serverURL: configuration.endpoints.messagingURL, transport: transport, retry: retry,
            timeout: configuration.timeout, throttle: messagingThrottle, log: RequestLogMiddleware(logger: configuration.logger))
    }

    /// Runs `body` with a new client and shuts the client down afterwards.
    @discardableResult
    public static func withClient<T: Sendable>(
        _ configuration: Configuration, _ body: (PartnerAPIClient) async throws -> T
    ) async throws -> T {
        let client = PartnerAPIClient(configuration: configuration)
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    /// Closes the connections. Call once, when done.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    /// Bearer tokens fetched so far (0 with a partner key).
    public var tokensFetched: Int {
        get async { await tokenSource?.fetchCount ?? 0 }
    }

    // MARK: Naming errors

    /// Runs one API operation; its errors come out unwrapped and named `operation`.
    func perform<T>(_ operation: String, host: URL, _ body: () async throws -> T) async throws -> T {
        try await Self.naming(operation, host: host, body)
    }

    static func naming<T>(_ operation: String, host: URL, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw name(ClientFailure.unwrap(error), operation: operation, host: host)
        }
    }

    static func name(_ failure: any Error, operation: String, host: URL) -> any Error {
        if var error = failure as? APIError {
            if !error.isNamed {
                error.operation = operation
                error.isNamed = true
            }
            return error
        }
        if var error = failure as? APIConnectionError {
            error.operation = operation
            return error
        }
        if TransportFailure.isCancellation(failure) || Task.isCancelled { return CancellationError() }
        let hostName = ErrorEnvelopeMiddleware.hostAndPort(host)
        if let decoding = failure as? DecodingError {
            return APIConnectionError(
                operation: operation, host: hostName, reason: .invalidResponse(Self.summary(of: decoding)))
        }
        if failure is UnexpectedAnswer {
            return APIConnectionError(
                operation: operation, host: hostName, reason: .invalidResponse("a success status the API contract does not describe"))
        }
        if failure is ChannelListError { return failure }
        // Whatever else the generated code or a library threw: say what it means for the
        // user, not the library's type name.
        return APIConnectionError(
            operation: operation, host: hostName, reason: .invalidResponse("the answer could not be read as the API's JSON"))
    }

    /// Where a decoding failure was, never the value (it may be a secret).
    static func summary(of error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map(\.stringValue).joined(separator: ".")
            return joined.isEmpty ? "the top level" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "the answer lacks \(path(context) == "the top level" ? key.stringValue : path(context) + "." + key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "unexpected value at \(path(context))"
        case .dataCorrupted(let context):
            return "malformed answer at \(path(context))"
        @unknown default:
            return "the answer does not match the API contract"
        }
    }
}
