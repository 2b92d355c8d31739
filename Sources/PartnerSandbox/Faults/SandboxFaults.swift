import Synchronization

/// Fault injection: latency with jitter, 5xx, 429 with `Retry-After`, dropped connections.
/// Decisions come from a seeded generator, so a run with the same seed and the same request
/// order injects the same faults.
public struct FaultSettings: Sendable, Equatable {
    public var latencyMilliseconds: Int
    public var jitterMilliseconds: Int
    public var failRate: Double
    public var throttleRate: Double
    public var dropRate: Double
    public var retryAfterSeconds: Int
    public var seed: UInt64
    /// A real rate limit, like an API's: at most this many API requests per second (a token
    /// bucket holding one second's worth); beyond it, 429 with the seconds until a token frees.
    /// 0 = none.
    public var rateLimit: Double
    /// Real rate limits per API host and per credential (`--rate-limit [SCOPE=]N/WINDOW`),
    /// answered as the real API does (see `RateLimitRule`).
    public var rateLimits: [RateLimitRule]
    /// An adversarial API: every API request gets this kind of broken answer (nil = none).
    public var hostile: HostileMode?
    /// Where `.redirectToOtherHost` sends the client: `http://127.0.0.2:<port>`; 0 = the
    /// sandbox's own port.
    public var redirectPort: Int
    /// Channels that are always unavailable: every API request about one of them (with its
    /// D360-API-KEY, or its id in a Partner API path) is answered 503, after the credentials
    /// are checked. Models one broken channel among healthy ones.
    public var failChannels: Set<String>

    public init(
        latencyMilliseconds: Int = 0, jitterMilliseconds: Int = 0, failRate: Double = 0, throttleRate: Double = 0,
        dropRate: Double = 0, retryAfterSeconds: Int = 1, seed: UInt64 = 360, rateLimit: Double = 0,
        hostile: HostileMode? = nil, redirectPort: Int = 0, failChannels: Set<String> = [], rateLimits: [RateLimitRule] = []
    ) {
        self.rateLimits = rateLimits
        self.failChannels = failChannels
        self.rateLimit = rateLimit
        self.hostile = hostile
        self.redirectPort = redirectPort
        self.latencyMilliseconds = latencyMilliseconds
        self.jitterMilliseconds = jitterMilliseconds
        self.failRate = failRate
        self.throttleRate = throttleRate
        self.dropRate = dropRate
        self.retryAfterSeconds = retryAfterSeconds
        self.seed = seed
    }

    public static let none = FaultSettings()

    /// A problem with the settings, phrased for the flag that set it; nil when valid.
    public var problem: String? {
        for (flag, rate) in [("--fail-rate", failRate), ("--throttle-rate", throttleRate), ("--drop-rate", dropRate)]
        where !(0...1).contains(rate) {
            return "\(flag) must be between 0 and 1, got \(rate)"
        }
        if failRate + throttleRate + dropRate > 1 { return "--fail-rate, --throttle-rate and --drop-rate add up to more than 1" }
        if latencyMilliseconds < 0 || jitterMilliseconds < 0 { return "--latency and --jitter must not be negative" }
        if retryAfterSeconds < 0 { return "--retry-after must not be negative" }
        if rateLimit < 0 || !rateLimit.isFinite { return "--rate-limit must be a positive number of requests per second, or 0 for none" }
        return nil
    }
}

/// The broken answers of an adversarial API (`wabaform sandbox --hostile MODE`). Every API
/// request (not `/_sandbox/`) gets one; the client must report each clearly, never crash,
/// never hang, and never send credentials to another host.
public enum HostileMode: String, Sendable, Equatable, CaseIterable {
    /// 200, `application/json`, a body that is not JSON (cut off mid-object).
    case malformedJSON = "malformed-json"
    /// 200 announcing and streaming 100 MB, more than the client accepts.
    case hugeBody = "huge-body"
    /// 200 with JSON whose fields have the wrong types.
    case wrongTypes = "wrong-types"
    /// 200 with an empty JSON object.
    case missingFields = "missing-fields"
    /// 200 whose body is the error envelope (`meta.success: false`, `http_code: 500`).
    case errorEnvelopeWith200 = "error-200"
    /// 307 to the same path on another host (`http://127.0.0.2:<port>`).
    case redirectToOtherHost = "redirect"
    /// Headers sent, a few bytes of body, then nothing: the answer never finishes.
    case neverFinish = "never-finish"
    /// Headers sent, then the body one byte every half second: never idle, never finished.
    case trickle = "trickle"
    /// The channel list claims 10^12 channels (a page of 1000 real-looking ones); every other
    /// request is answered normally.
    case hugeTotal = "huge-total"
    /// 200 with an HTML page (`text/html`), as a proxy or login page would answer.
    case html = "html"
    /// Reads answer normally; every write gets a 400 whose message echoes the request: its
    /// body raw and in base64, its credential header, the key's first 8 characters and the
    /// key in base64 (as careless APIs do). No secret of it may reach wabaform's output.
    case echoBody = "echo-body"

    /// Whether `method` gets the broken answer (`echo-body` breaks only writes).
    public func applies(to method: String) -> Bool { self != .echoBody || method != "GET" }

    /// The bytes `hugeBody` announces.
    public static let hugeBodyBytes = 100 << 20
}

/// What happens to one request.
struct FaultDecision: Equatable {
    enum Outcome: Equatable {
        case pass
        case fail
        case throttle
        /// Refused by a `RateLimitRule`: 429 with Retry-After on the Partner API, the 400
        /// usage-limit answer on the Messaging API.
        case limited
        /// Close the connection before the request is handled: nothing changes.
        case dropBeforeHandling
        /// Handle the request, then close the connection instead of answering: the change
        /// happened but the client never hears of it.
        case dropAfterHandling
    }
    var delayMilliseconds: Int
    var outcome: Outcome
    /// Seconds to send in Retry-After when `outcome` is `.throttle`.
    var retryAfterSeconds: Int = 0
}

final class FaultInjector: Sendable {
    let settings: FaultSettings
    private let generator: Mutex<SplitMix64>
    private let bucket: Mutex<(tokens: Double, at: ContinuousClock.Instant)>
    let windows: RateLimitWindows

    init(settings: FaultSettings) {
        self.settings = settings
        self.windows = RateLimitWindows(rules: settings.rateLimits)
        self.generator = Mutex(SplitMix64(seed: settings.seed))
        self.bucket = Mutex((max(1, settings.rateLimit), .now))
    }

    /// Takes a token from the rate-limit bucket; nil when allowed, else the seconds to wait.
    private func rateLimited() -> Int? {
        let rate = settings.rateLimit
        guard rate > 0 else { return nil }
        return bucket.withLock { bucket -> Int? in
            let now = ContinuousClock.now
            let elapsed = now - bucket.at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(max(1, rate), bucket.tokens + seconds * rate)
            bucket.at = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }

    /// `caller`: the API and credential of the request, for the `RateLimitRule`s (nil: none apply).
    func decide(_ caller: RateLimitWindows.Caller? = nil) -> FaultDecision {
        if let wait = rateLimited() {
            return FaultDecision(delayMilliseconds: settings.latencyMilliseconds, outcome: .throttle, retryAfterSeconds: wait)
        }
        if let caller, let wait = windows.admit(caller) {
            // Whole seconds, rounded up, at least 1: a client that waits them finds room.
            let (seconds, atto) = wait.components
            let retryAfter = max(1, Int(seconds) + (atto > 0 ? 1 : 0))
            return FaultDecision(delayMilliseconds: settings.latencyMilliseconds, outcome: .limited, retryAfterSeconds: retryAfter)
        }
        let s = settings
        let (roll, jitterRoll, halfRoll) = generator.withLock { g in (g.nextUnit(), g.nextUnit(), g.nextUnit()) }
        let delay = s.latencyMilliseconds + Int(Double(s.jitterMilliseconds) * jitterRoll)
        let outcome: FaultDecision.Outcome
        if roll < s.failRate {
            outcome = .fail
        } else if roll < s.failRate + s.throttleRate {
            outcome = .throttle
        } else if roll < s.failRate + s.throttleRate + s.dropRate {
            outcome = halfRoll < 0.5 ? .dropBeforeHandling : .dropAfterHandling
        } else {
            outcome = .pass
        }
        return FaultDecision(delayMilliseconds: delay, outcome: outcome, retryAfterSeconds: s.retryAfterSeconds)
    }
}

/// A small, fast, seedable generator (SplitMix64): the fault generator, and for tests that need
/// the same "random" choices on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform value in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
