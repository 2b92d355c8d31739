import Synchronization

/// The sliding windows of the `RateLimitRule`s: for each rule and each key of its scope, the
/// times of the requests it let through within the last window. A request passes when every
/// rule that applies to it has room; only then is it counted (a refused request is not).
final class RateLimitWindows: Sendable {
    /// Which API a request is for, and the credential it carries (nil: none).
    struct Caller: Sendable {
        var messaging: Bool
        var credential: String?
    }

    let rules: [RateLimitRule]
    private let log = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(rules: [RateLimitRule]) { self.rules = rules }

    /// nil when the request may pass (and it is counted); else the wait until it would.
    func admit(_ caller: Caller, now: ContinuousClock.Instant = .now) -> Duration? {
        guard !rules.isEmpty else { return nil }
        let keys = rules.enumerated().map { index, rule in Self.key(rule, index: index, caller) }
        return log.withLock { log -> Duration? in
            var wait: Duration?
            for (rule, key) in zip(rules, keys) {
                guard let key else { continue }
                var times = log[key] ?? []
                let start = times.firstIndex { now - $0 < rule.window } ?? times.endIndex
                if start > 0 { times.removeFirst(start) }
                log[key] = times
                if times.count >= rule.limit {
                    let free = times[times.count - rule.limit] + rule.window - now
                    wait = max(wait ?? .zero, free)
                }
            }
            if wait != nil { return wait }
            for key in keys.compactMap({ $0 }) { log[key, default: []].append(now) }
            return nil
        }
    }

    /// The counting key of `rule` (the `index`-th) for `caller`; nil when the rule does not apply.
    private static func key(_ rule: RateLimitRule, index: Int, _ caller: Caller) -> String? {
        switch rule.scope {
        case .host: return "\(index) \(caller.messaging ? "messaging" : "partner")"
        case .partner:
            guard !caller.messaging, let credential = caller.credential else { return nil }
            return "\(index) \(credential)"
        case .channel:
            guard caller.messaging, let credential = caller.credential else { return nil }
            return "\(index) \(credential)"
        }
    }
}
