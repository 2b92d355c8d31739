/// What a `RequestPacer` knows about one host or one credential: the rate it learned the API
/// allows (none until the API refuses), the time a `Retry-After` holds it until, and the
/// answers of the last two one-second buckets, to tell a load-driven refusal from a random one.
struct LearnedPace: Sendable {
    /// Requests per second this key may send; nil = no learned limit.
    var rate: Double?
    /// The earliest time the next request may go under `rate`.
    var next: Duration = .zero
    /// No request goes before this (`Retry-After`).
    var heldUntil: Duration = .zero
    var lastDecrease: Duration?
    var successesSinceIncrease = 0
    /// Bumped whenever the key is held or slowed, so a request that took its slot before (and
    /// waited for a concurrency permit since) takes a new one instead of going out regardless.
    var generation = 0

    /// When this key's last accepted answer came (the buckets below only approximate "in the
    /// last second").
    var lastAccepted: Duration?
    /// Answers in the current one-second bucket, which started at `bucketStart`, and the one before.
    var bucketStart: Duration = .zero
    var accepted = 0, refused = 0
    var previousAccepted = 0, previousRefused = 0

    /// The slowest a learned rate goes: one request every 20 s.
    static let minimumRate = 0.05
    /// A refusal is load-driven when the recent second holds at least this many refusals and
    /// this share of the answers; a few random ones (a 5% background of 429s) are not, even
    /// among the first few dozen answers of a run (3 in 30 would be 10%).
    static let loadRefusals = 3.0
    static let loadShare = 0.20
    /// On a load-driven refusal the rate drops to this share of what got through in the last
    /// second (the rate the API allowed), at most once per second.
    static let decrease = 0.95
    /// After each second's worth of accepted requests the rate grows by this share (at least 1/s).
    static let increase = 0.05

    /// Rolls the buckets forward to `now`.
    mutating func roll(to now: Duration) {
        let elapsed = now - bucketStart
        guard elapsed >= .seconds(1) else { return }
        if elapsed >= .seconds(2) {
            (previousAccepted, previousRefused) = (0, 0)
            bucketStart = now
        } else {
            (previousAccepted, previousRefused) = (accepted, refused)
            bucketStart += .seconds(1)
        }
        (accepted, refused) = (0, 0)
    }

    /// Forgets the answers counted so far: after the host narrowed, the next decision is made
    /// on answers to the narrower width only.
    mutating func forgetAnswers() {
        (accepted, refused, previousAccepted, previousRefused) = (0, 0, 0, 0)
    }

    /// Accepted and refused answers in the last second (the previous bucket weighted by how
    /// much of it still lies within that second).
    func recent(at now: Duration) -> (accepted: Double, refused: Double) {
        let into = min(1, max(0, Self.seconds(now - bucketStart)))
        return (Double(accepted) + Double(previousAccepted) * (1 - into), Double(refused) + Double(previousRefused) * (1 - into))
    }

    /// Takes the slot for a request at or after `earliest`; returns when it may go.
    mutating func reserve(from earliest: Duration) -> Duration {
        var at = max(earliest, heldUntil)
        if let rate {
            at = max(at, next)
            next = at + .seconds(1 / rate)
        }
        return at
    }

    mutating func recordAccepted(at now: Duration) {
        roll(to: now)
        accepted += 1
        lastAccepted = now
        guard let rate else { return }
        successesSinceIncrease += 1
        if Double(successesSinceIncrease) >= rate {
            successesSinceIncrease = 0
            self.rate = rate + max(1, rate * Self.increase)
        }
    }

    /// A refusal at `now`; `retryAfter` when the API said how long to wait (held when
    /// `honourRetryAfter`). Returns whether it reads as load: enough refusals, and a large
    /// enough share of the last second's answers, that the API is refusing because of the rate.
    ///
    /// On a host, two refusals with fewer than two accepted answers read as load too (after
    /// the host narrowed, only answers since count, so few are in), and on a credential
    /// refused with the per-second usage limit. Not on a credential refused with 429s
    /// (`fewAnswers: false`): a quiet key meets two random 429s now and then (a 5% background,
    /// retries included), and each would halve its rate again, down to one request every
    /// 20 s, holding a whole run for tens of seconds.
    mutating func recordRefused(at now: Duration, retryAfter: Duration?, honourRetryAfter: Bool, fewAnswers: Bool = true) -> Bool {
        roll(to: now)
        refused += 1
        if honourRetryAfter, let retryAfter, retryAfter > .zero {
            heldUntil = max(heldUntil, now + retryAfter)
            generation += 1
        }
        let (ok, no) = recent(at: now)
        return (no >= Self.loadRefusals || (fewAnswers && no >= 2 && ok < 2)) && no >= Self.loadShare * (ok + no)
    }

    /// Lowers the rate after a load-driven refusal at `now` to a little under what got through
    /// in the last second (half the learned rate when nothing did), at most once a second; and
    /// holds the key for `hold` (a per-second limit without `Retry-After`: its window frees
    /// within a second).
    mutating func lowerRate(at now: Duration, hold: Duration? = nil) {
        if let hold {
            heldUntil = max(heldUntil, now + hold)
            generation += 1
        }
        let (ok, _) = recent(at: now)
        guard let lowered = lower(to: ok >= 1 ? ok * Self.decrease : (rate ?? 2) / 2, at: now) else { return }
        next = max(next, now + .seconds(1 / lowered))
    }

    /// Lowers the rate to `allowed` (never raises it; at least `minimumRate`), at most once a
    /// second; returns the new rate, or nil when it lowered within the last second.
    private mutating func lower(to allowed: Double, at now: Duration) -> Double? {
        if let lastDecrease, now - lastDecrease < .seconds(1) { return nil }
        lastDecrease = now
        successesSinceIncrease = 0
        let lowered = max(Self.minimumRate, min(rate ?? .infinity, allowed))
        rate = lowered
        generation += 1
        return lowered
    }

    /// A per-second limit of `allowed` requests met at `now`: paced a little under it (at most
    /// one lowering a second, as `lowerRate`), and held until `holdUntil`, when the limit's
    /// window frees a slot.
    mutating func limit(to allowed: Double, at now: Duration, holdUntil: Duration) {
        if holdUntil > heldUntil {
            heldUntil = holdUntil
            next = max(next, holdUntil)
            generation += 1
        }
        _ = lower(to: allowed * Self.decrease, at: now)
    }

    /// Whether an answer was accepted within the second before `now`.
    func acceptedWithinASecond(of now: Duration) -> Bool {
        lastAccepted.map { now - $0 < .seconds(1) } ?? false
    }

    /// Whether this record says nothing a new `LearnedPace()` would not at `now` or later:
    /// no rate, hold or lowering ever (`generation` 0; a slot taken under it stays current
    /// either way), and no answer within two seconds (`roll` then empties both buckets, and
    /// `acceptedWithinASecond` is false).
    func isForgettable(at now: Duration) -> Bool {
        generation == 0 && rate == nil && lastDecrease == nil && now - bucketStart >= .seconds(2)
            && lastAccepted.map { now - $0 >= .seconds(2) } ?? true
    }

    /// Forgets the learned rate and any hold (the evidence for them was disproved).
    mutating func unlearn(at now: Duration) {
        rate = nil
        heldUntil = min(heldUntil, now)
        next = min(next, now)
        generation += 1
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
