/// How one API host answered the doctor: requests, latency, statuses, throttling.
public struct DoctorHostStats: Sendable, Equatable {
    /// "Partner API" or "Messaging API".
    public var api: String
    /// `host` or `host:port`.
    public var host: String
    /// Attempts sent, retries included.
    public var requests: Int
    /// Attempts that got no answer (timeout, refused, dropped).
    public var unanswered: Int
    /// Median and slowest time to an answer, in milliseconds (over answered attempts).
    public var medianMilliseconds: Int?
    public var maxMilliseconds: Int?
    /// Answers per status code.
    public var statuses: [Int: Int]
    /// 429 answers, and how many of them carried `Retry-After`.
    public var throttled: Int
    public var retryAfterSent: Int
    /// The waits `Retry-After` asked for, in milliseconds, ascending and without repeats.
    public var retryAfterMilliseconds: [Int]

    /// One entry per API, Partner API first; an API the doctor sent nothing to is left out.
    static func summarize(_ attempts: [RequestRecorder.Attempt], endpoints: Endpoints) -> [DoctorHostStats] {
        let partnerHost = ErrorEnvelopeMiddleware.hostAndPort(endpoints.apiURL)
        let partnerPath = endpoints.apiURL.path
        func isPartner(_ attempt: RequestRecorder.Attempt) -> Bool {
            attempt.host == partnerHost && attempt.path.hasPrefix(partnerPath)
        }
        let groups: [(String, String, [RequestRecorder.Attempt])] = [
            ("Partner API", partnerHost, attempts.filter(isPartner)),
            ("Messaging API", ErrorEnvelopeMiddleware.hostAndPort(endpoints.messagingURL), attempts.filter { !isPartner($0) }),
        ]
        return groups.compactMap { api, host, attempts in
            guard !attempts.isEmpty else { return nil }
            let answered = attempts.filter { $0.status != nil }
            let times = answered.map { milliseconds($0.duration) }.sorted()
            let throttled = answered.filter { $0.status == 429 }
            return DoctorHostStats(
                api: api, host: host, requests: attempts.count, unanswered: attempts.count - answered.count,
                medianMilliseconds: times.isEmpty ? nil : times[(times.count - 1) / 2], maxMilliseconds: times.last,
                statuses: Dictionary(answered.map { ($0.status ?? 0, 1) }, uniquingKeysWith: +),
                throttled: throttled.count, retryAfterSent: throttled.filter(\.sentRetryAfter).count,
                retryAfterMilliseconds: Array(Set(throttled.compactMap(\.retryAfter).map(milliseconds))).sorted())
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
