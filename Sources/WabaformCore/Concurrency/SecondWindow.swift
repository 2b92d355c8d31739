/// The times of a host's accepted answers within the last second, exactly: a host-wide
/// per-second limit is met when their count reaches it, and its window frees a slot one
/// second after the oldest of them (answer times are a little after the API counted the
/// requests, so a wait worked out from them errs long).
struct SecondWindow: Sendable {
    private var times: [Duration] = []
    private var start = 0

    /// Counts an answer accepted at `now` (times arrive in order, or nearly).
    mutating func add(_ now: Duration) {
        prune(to: now)
        times.append(now)
    }

    /// Forgets answers older than a second before `now`.
    mutating func prune(to now: Duration) {
        while start < times.count, now - times[start] >= .seconds(1) { start += 1 }
        if start > 1_024, start * 2 > times.count {
            times.removeFirst(start)
            start = 0
        }
    }

    /// Answers within the second before the last `prune` or `add`.
    var count: Int { times.count - start }

    /// The oldest of them.
    var oldest: Duration? { start < times.count ? times[start] : nil }
}
