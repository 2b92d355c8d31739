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
/// - A host-wide per-second limit: usage-limit 400s to keys that had nothing accepted in the
///   last second, three in a row, are the host's (`HostState.recordLimitRefusal`). The host is then paced
///   a little under the number of answers it accepted in the last second (counted exactly),
///   rising 5% a second's worth of accepted requests, and held until that window frees a
///   slot, so a window of N a second is met at about N, not in bursts it refuses (12% of
///   requests were refused so; 0.5–4% now: docs/performance.md).
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

    /// What the pacer knows of one host.
    fileprivate struct HostState {
        /// Answers to judge load by (forgotten after the host narrowed, to judge the narrower width).
        var load = LearnedPace()
        /// The host's learned rate and hold, from every answer it gave.
        var pace = LearnedPace()
        /// Its accepted answers in the last second, and its usage-limit refusals of quiet keys
        /// since the last answer it accepted.
        var accepted = SecondWindow()
        var limitStreak = 0
        /// The per-second limit inferred for it (its accepted answers in the second before a
        /// refusal), and whether refusals came well under it (then it is not the host's limit).
        var limit: Double?
        var limitDisproved = false
    }

    private struct State {
        var hosts: [String: HostState] = [:]
        var credentials: [Int: LearnedPace] = [:]
        /// `credentials` is pruned (`pruneCredentials`) when it grows past this.
        var pruneAt = RequestPacer.credentialsKept
        var refusals = 0
        var loadRefusals = 0

        /// Drops the credentials whose record says no more than a new one would: never held
        /// or slowed, and no answer within the last two seconds (its buckets and its last
        /// accepted time no longer count). A plan sends one request with each of 100,000 channel
        /// keys; kept, their records were 44 MB at the peak of the run. Amortized: the next
        /// prune waits until the table has doubled.
        mutating func pruneCredentials(at now: Duration) {
            credentials = credentials.filter { !$0.value.isForgettable(at: now) }
            pruneAt = max(RequestPacer.credentialsKept, 2 * credentials.count)
        }
    }

    /// Credentials recorded before the first prune.
    static let credentialsKept = 4096

    let clock: any APIClock
    private let state = Mutex(State())

    public init(clock: any APIClock) { self.clock = clock }

    /// The pacing identity of a credential (a header value): a hash, never the value.
    public static func identity(of credential: String) -> Int {
        var hasher = Hasher()
        hasher.combine(credential)
        return hasher.finalize()
    }

    /// A request's place in the pacing: the generations of its host and its credential when
    /// it took its slot (`isCurrent`).
    public struct Slot: Sendable, Equatable {
        var host = 0
        var credential = 0
    }

    /// Waits until `host` (once it has a learned rate or a hold) and `credential` may send
    /// (its `Retry-After` hold and learned rate). Returns the slot taken, for `isCurrent`.
    @discardableResult
    public func acquire(host: String? = nil, credential: Int?) async throws -> Slot {
        let now = clock.now
        let (at, slot) = state.withLock { state -> (Duration, Slot) in
            var at = now
            var slot = Slot()
            if let host, var pace = state.hosts[host]?.pace {
                slot.host = pace.generation
                if pace.rate != nil || pace.heldUntil > now {
                    at = pace.reserve(from: now)
                    state.hosts[host]?.pace = pace
                }
            }
            guard let credential, var pace = state.credentials[credential] else { return (at, slot) }
            slot.credential = pace.generation
            guard pace.rate != nil || pace.heldUntil > at else { return (at, slot) }
            at = pace.reserve(from: at)
            state.credentials[credential] = pace
            return (at, slot)
        }
        if at > now { try await clock.sleep(for: at - now) }
        return slot
    }

    /// Whether `slot` still stands: neither its host nor its credential was held or slowed
    /// since (else the request takes a new slot before it goes).
    public func isCurrent(_ slot: Slot, host: String? = nil, credential: Int?) -> Bool {
        state.withLock { state in
            let hostGeneration = host.flatMap { state.hosts[$0]?.pace.generation } ?? 0
            let credentialGeneration = credential.flatMap { state.credentials[$0]?.generation } ?? 0
            return slot == Slot(host: hostGeneration, credential: credentialGeneration)
        }
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
                state.hosts[host, default: HostState()].recordAccepted(at: now)
                if let credential {
                    state.credentials[credential, default: LearnedPace()].recordAccepted(at: now)
                    if state.credentials.count > state.pruneAt { state.pruneCredentials(at: now) }
                }
                return false
            case .refused(let retryAfter, let perSecond):
                state.refusals += 1
                // A usage-limit 400 to a key that had nothing accepted in the last second is not
                // that key's load: the per-second limit is the host's.
                var hostLimit = perSecond
                if let credential {
                    var pace = state.credentials[credential, default: LearnedPace()]
                    // Two random 429s on a quiet key are chance; two usage-limit 400s ("requests per
                    // second for this number") with nothing accepted are that key's limit.
                    let load = pace.recordRefused(at: now, retryAfter: retryAfter, honourRetryAfter: true, fewAnswers: perSecond)
                    if perSecond, pace.acceptedWithinASecond(of: now) || pace.recent(at: now).accepted >= 1 {
                        hostLimit = false
                        pace.lowerRate(at: now, hold: retryAfter == nil ? .seconds(1) : nil)
                    } else if load {
                        pace.lowerRate(at: now)
                    }
                    state.credentials[credential] = pace
                }
                var hostState = state.hosts[host, default: HostState()]
                let load = hostState.load.recordRefused(at: now, retryAfter: nil, honourRetryAfter: false)
                if load {
                    state.loadRefusals += 1
                    hostState.load.forgetAnswers()
                }
                if hostLimit, !hostState.limitDisproved { hostState.recordLimitRefusal(at: now) }
                state.hosts[host] = hostState
                return load
            }
        }
    }

    /// The learned rate of `host`, requests per second; nil when none was learned.
    public func learnedRate(host: String) -> Double? { state.withLock { $0.hosts[host]?.pace.rate } }

    /// The learned rate of `credential`, requests per second; nil when none was learned.
    public func learnedRate(credential: Int) -> Double? { state.withLock { $0.credentials[credential]?.rate } }

    /// Credentials the pacer holds a record for (pruned: `State.pruneCredentials`).
    var credentialsRecorded: Int { state.withLock { $0.credentials.count } }

    /// Refusals recorded, and how many of them read as load on their host.
    public var refusals: (all: Int, load: Int) { state.withLock { ($0.refusals, $0.loadRefusals) } }
}

extension RequestPacer.HostState {
    mutating func recordAccepted(at now: Duration) {
        load.recordAccepted(at: now)
        pace.recordAccepted(at: now)
        accepted.add(now)
        limitStreak = 0
    }

    /// A usage-limit 400 to a key quiet in the last second. Three in a row, with no accepted
    /// answer between them (a window at its limit refuses everything in flight; a key busy
    /// elsewhere, or refusals that follow no rate, come between accepted answers), are the
    /// host's per-second limit: the answers it accepted in the last second, counted exactly.
    /// The host is paced a little under that and held until the window frees a slot. A later
    /// such refusal (after the hold) lowers it again when the host was at its limit, and
    /// disproves it when the host had accepted less than half of it in the last second: the
    /// host's pacing is dropped, and not inferred again in this run.
    mutating func recordLimitRefusal(at now: Duration) {
        limitStreak += 1
        accepted.prune(to: now)
        let count = Double(accepted.count)
        if let limit {
            // Refusals of requests in flight when the host was held say nothing new.
            guard now > pace.heldUntil else { return }
            guard count >= Self.consistentShare * limit else {
                limitDisproved = true
                self.limit = nil
                pace.unlearn(at: now)
                return
            }
        } else if limitStreak < Int(LearnedPace.loadRefusals) {
            return
        }
        guard let oldest = accepted.oldest else { return }
        limit = count
        pace.limit(to: count, at: now, holdUntil: oldest + .seconds(1))
    }

    /// A refusal is consistent with a host's inferred limit when the host accepted at least
    /// this share of it in the last second.
    static let consistentShare = 0.5
}
