/// Local storage writes: each is re-read just before it is sent, and never re-sent without
/// reading back first (issue 13 item 3: the API may take a write and still answer 429 or
/// 5xx, or drop the connection).
extension Applier {
    /// The ledger's reason for a storage change found done when re-read just before writing.
    static let alreadyDone =
        "already done: the channel was already at the target when re-read just before writing (another apply got there first); nothing was sent"

    /// Whether the channel's storage, read now, is known to be `region` (nil = default storage).
    func isStorage(channelID: String, at region: String?) async throws -> Bool {
        do {
            return try await client.channel(id: channelID)?.localStorage == .known(region)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // A failed re-read decides nothing: the plan (made moments ago) stands.
            return false
        }
    }

    /// One local storage action. Returns false when the channel, re-read just before, was
    /// already at the target (nothing sent).
    ///
    /// The request is sent without the client's retries. After any failure the channel is
    /// read back: if the change took effect it succeeded. If not, a 429 (the API said "later")
    /// is waited out and the request sent again, read back first each time; any other failure
    /// fails the step, and the next run's plan sends it again (never a blind resend: an
    /// accepted change the API has not yet shown would be sent twice).
    func setStorage(clientID: String, channelID: String, to region: String?) async throws -> Bool {
        if try await isStorage(channelID: channelID, at: region) { return false }
        var throttled = 0
        while true {
            try Task.checkCancellation()
            do {
                try await RetryScope.$current.withValue(.never) {
                    if let region {
                        try await client.enableLocalStorage(clientID: clientID, channelID: channelID, region: region)
                    } else {
                        try await client.disableLocalStorage(clientID: clientID, channelID: channelID)
                    }
                }
                return true
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // A 429 is waited out first, so the read-back sees what the API did meanwhile.
                var mayResend = false
                if let api = error as? APIError, api.status == 429 {
                    throttled += 1
                    mayResend = try await client.waitBeforeResend(throttled: throttled, retryAfter: api.retryAfter)
                }
                // The answer was lost or an error: did the change happen anyway?
                if try await isStorage(channelID: channelID, at: region) { return true }
                guard mayResend else { throw error }
            }
        }
    }
}
