import Logging
import PartnerAPIRules

/// Bearer tokens for `WABAFORM_USERNAME`/`WABAFORM_PASSWORD` (deprecated auth): fetched
/// once from `POST /token`, shared by every request, renewed shortly before `expires_in`
/// runs out (on the injected clock) and again whenever the API refuses one with 401. A token
/// answer without `expires_in` (the lean shape) is used until the API refuses it.
/// Concurrent callers wait for one fetch.
actor BearerTokenSource {
    /// A token and its lifetime; nil lifetime = the answer did not say (use it until a 401).
    typealias Fetch = @Sendable () async throws -> (token: Secret, expiresIn: Duration?)

    private let fetch: Fetch
    private let clock: any APIClock
    private let onFirstFetch: @Sendable () -> Void
    private var current: (token: Secret, renewAt: Duration?)?
    private var inFlight: Task<(token: Secret, renewAt: Duration?), any Error>?
    private var fetched = 0

    init(clock: any APIClock, onFirstFetch: @escaping @Sendable () -> Void = {}, fetch: @escaping Fetch) {
        self.clock = clock
        self.fetch = fetch
        self.onFirstFetch = onFirstFetch
    }

    /// Tokens fetched so far.
    var fetchCount: Int { fetched }

    /// A token that has not reached its renewal time.
    func token() async throws -> Secret {
        if let current {
            guard let renewAt = current.renewAt else { return current.token }
            if clock.now < renewAt { return current.token }
        }
        if let inFlight { return try await inFlight.value.token }
        if fetched == 0 { onFirstFetch() }
        fetched += 1
        let fetch = self.fetch
        let clock = self.clock
        let task = Task { () throws -> (token: Secret, renewAt: Duration?) in
            let (token, expiresIn) = try await fetch()
            guard let expiresIn else { return (token, nil) }
            return (token, clock.now + expiresIn - APIAssumptions.tokenRenewalMargin(expiresIn: expiresIn))
        }
        inFlight = task
        defer { inFlight = nil }
        let result = try await task.value
        current = result
        return result.token
    }

    /// Forgets `token` after the API refused it, so the next call fetches a new one.
    func invalidate(_ token: Secret) {
        if current?.token == token { current = nil }
    }
}
