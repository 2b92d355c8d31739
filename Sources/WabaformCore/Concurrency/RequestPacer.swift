import Synchronization

/// Pacing that learns, per API host and per credential (the partner key or token, each
/// channel key), from what the API answers; `--rate-limit` stays the ceiling (`RateLimiter`).
///
/// - A credential that is refused (429, or the Messaging API's 400 usage limit) is held for
///   the `Retry-After` the API sent, and, when its refusals read as load (`LearnedPace`), paced
///   at a little under the rate that got through in the last second; each second's worth of
///   accepted requests raises that rate again by 5% (multiplicative decrease, gradual
///   increase). The 400 usage limit says "requests per second for this number": when the key
///   itself sent in the last second it is that key's load by definition, and without
///   `Retry-After` the key is held for a second, its window's length; when it had not, the
///   limit is the host's, and only the host's load detection counts it.
/// - A host is never held by one answer: a refusal with `Retry-After: 0` or none stalls no
///   other request. Only when the host's refusals read as load (at least 3, and a fifth of the
///   last second's answers) does `record` say so, and the caller narrows its concurrency. A
///   few random refusals (a 5% background) are retried without slowing anything else.
///
/// Credentials are known only by a hash made with this process's random seed: no key is kept.
public final class RequestPacer: Sendable {
    public enum Answer: Sendable, Equatable {
        case accepted
        /// 429 or the 400 usage limit; the `Retry-After` when sent. `perSecond`: the answer says
        /// the credential went over a per-second limit (the Messaging API's usage limit), so it
        /// is load by definition, not chance.
        case refused(retryAfter: Duration?, perSecond: Bool = false)
        /// Any other answer (an error, a 5xx): says nothing about the rate.
        case other
    }

    private struct State {
        var hosts: [String: LearnedPace] = [:]
        var credentials: [Int: LearnedPace] = [:]
        var refusals = 0
        var loadRefusals = 0
    }

    let clock: any APIClock
    private let state = Mutex(State())

    public init(clock: any APIClock) { self.clock = clock }

    /// The pacing identity of a credential (a header value): a hash, never the value.
    public static func identity(of credential: String) -> Int {
        var hasher = Hasher()
        hasher.combine(credential)
        return hasher.finalize()
    }

    /// Waits until `credential` may send (its `Retry-After` hold and learned rate). Returns the
    /// credential's generation the slot was taken in, for `isCurrent`.
    @discardableResult
    public func acquire(credential: Int?) async throws -> Int {
        guard let credential else { return 0 }
        let now = clock.now
        let (at, generation) = state.withLock { state -> (Duration, Int) in
            guard var pace = state.credentials[credential] else { return (now, 0) }
            guard pace.rate != nil || pace.heldUntil > now else { return (now, pace.generation) }
            let at = pace.reserve(from: now)
            state.credentials[credential] = pace
            return (at, pace.generation)
        }
        if at > now { try await clock.sleep(for: at - now) }
        return generation
    }

    /// Whether a slot taken in `generation` still stands: the credential was neither held nor
    /// slowed since (else the request takes a new slot before it goes).
    public func isCurrent(_ generation: Int, credential: Int?) -> Bool {
        guard let credential else { return true }
        return state.withLock { ($0.credentials[credential]?.generation ?? 0) == generation }
    }

    /// Records an answer; returns true when it is a refusal that reads as load on `host`
    /// (the caller narrows its concurrency then).
    @discardableResult
    public func record(_ answer: Answer, host: String, credential: Int?) -> Bool {
        guard answer != .other else { return false }
        let now = clock.now
        return state.withLock { state -> Bool in
            switch answer {
            case .other:
                return false
            case .accepted:
                state.hosts[host, default: LearnedPace()].recordAccepted(at: now)
                if let credential { state.credentials[credential, default: LearnedPace()].recordAccepted(at: now) }
                return false
            case .refused(let retryAfter, let perSecond):
                state.refusals += 1
                if let credential {
                    var pace = state.credentials[credential, default: LearnedPace()]
                    // Two random 429s on a quiet key are chance; two usage-limit 400s ("requests per
                    // second for this number") with nothing accepted are that key's limit.
                    let load = pace.recordRefused(at: now, retryAfter: retryAfter, honourRetryAfter: true, fewAnswers: perSecond)
                    if perSecond, pace.recent(at: now).accepted >= 1 {
                        pace.lowerRate(at: now, hold: retryAfter == nil ? .seconds(1) : nil)
                    } else if load {
                        pace.lowerRate(at: now)
                    }
                    state.credentials[credential] = pace
                }
                var hostPace = state.hosts[host, default: LearnedPace()]
                let load = hostPace.recordRefused(at: now, retryAfter: nil, honourRetryAfter: false)
                if load {
                    state.loadRefusals += 1
                    hostPace.forgetAnswers()
                }
                state.hosts[host] = hostPace
                return load
            }
        }
    }

    /// The learned rate of `credential`, requests per second; nil when none was learned.
    public func learnedRate(credential: Int) -> Double? { state.withLock { $0.credentials[credential]?.rate } }

    /// Refusals recorded, and how many of them read as load on their host.
    public var refusals: (all: Int, load: Int) { state.withLock { ($0.refusals, $0.loadRefusals) } }
}
