extension PartnerAPIClient {
    /// Stores the channel's message content at rest in `region`
    /// (`POST …/control/enable_local_storage`), once: never retried, because the API may take
    /// the change and still answer 429 or 5xx; the caller reads the channel back before any
    /// resend. Disruptive on a live number: the applier asks for consent first. A change from one region to another is disable, then
    /// enable (`APIAssumptions.regionChangeIsDisableThenEnable`).
    public func enableLocalStorage(clientID: String, channelID: String, region: String) async throws {
        try await perform("enable local storage \(region) for channel \(channelID)", host: endpoints.apiURL) {
            try await hubUnretried.enableLocalStorage(partnerID: partnerID, clientID: clientID, channelID: channelID, region: region)
        }
    }

    /// Reverts the channel to default storage in the US (`POST …/control/disable_local_storage`
    /// with `{}`, an [open] endpoint; see `APIAssumptions`), once, like `enableLocalStorage`.
    public func disableLocalStorage(clientID: String, channelID: String) async throws {
        try await perform("disable local storage for channel \(channelID)", host: endpoints.apiURL) {
            try await hubUnretried.disableLocalStorage(partnerID: partnerID, clientID: clientID, channelID: channelID)
        }
    }

    /// For a caller that resends a write itself after a 429 (never blindly: it reads back
    /// first): waits as the retry layer would before throttled attempt number `throttled` + 1
    /// (`RetryPolicy.delay(afterThrottle:retryAfter:unit:)`). False (without waiting) when the policy allows
    /// no more attempts or the server asks for a longer wait than it accepts.
    public func waitBeforeResend(throttled: Int, retryAfter: Duration?) async throws -> Bool {
        let policy = retry.policy
        guard throttled < policy.maxThrottledAttempts else { return false }
        if let retryAfter, retryAfter > policy.maxRetryAfter { return false }
        try await retry.clock.sleep(for: policy.delay(afterThrottle: throttled, retryAfter: retryAfter, unit: retry.jitter()))
        return true
    }
}
