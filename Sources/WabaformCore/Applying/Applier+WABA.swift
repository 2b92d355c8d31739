import PartnerAPIRules

/// How apply reads back a WABA webhook write, which the API applies asynchronously.
public struct WABAReadback: Sendable, Equatable {
    /// Reading back stops after this long; the value is then "did not converge".
    public var timeout: Duration
    /// The pause between reads.
    public var interval: Duration

    public static let defaultTimeoutSeconds = 30

    public init(timeout: Duration = .seconds(defaultTimeoutSeconds), interval: Duration = .seconds(2)) {
        self.timeout = timeout
        self.interval = interval
    }
}

extension Applier {
    /// Reads the WABA webhook back until it holds the written value or `wabaReadback.timeout`
    /// has passed (on the client's clock). Only reads: the write is never sent again.
    /// Returns the problem, or nil when it converged.
    func verifyWABAWebhook(_ change: Change) async -> String? {
        guard case .waba(let waba) = change.resource, let entry = keys.entry(for: waba.keyChannelID) else {
            return "could not be read back: no channel key"
        }
        let clock = client.retry.clock
        let deadline = clock.now + wabaReadback.timeout
        var last: PlanValue = .none
        while true {
            do {
                let read = try await client.wabaWebhook(
                    wabaID: waba.id, channelID: waba.keyChannelID, key: entry.key, keySource: entry.source)
                last =
                    switch read.webhook(channelID: waba.keyChannelID) {
                    case .known(let webhook?): PlanValue(webhook)
                    case .known(nil): .none
                    case .unknown(let reason): .text("unknown: \(reason)")
                    }
                if Self.converged(last, change.after) { return nil }
            } catch is CancellationError {
                return "could not be read back: cancelled"
            } catch {
                return "could not be read back: \(error)"
            }
            guard clock.now + wabaReadback.interval <= deadline else { break }
            do { try await clock.sleep(for: wabaReadback.interval) } catch { return "could not be read back: cancelled" }
        }
        return Self.notConverged(last)
            + " after \(Self.seconds(wabaReadback.timeout)) s of reading back (the API applies a WABA webhook asynchronously; raise --waba-readback-timeout if it is slow)"
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? "\(whole)" : "\(whole).\(tenths)"
    }
}
