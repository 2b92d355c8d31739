import AsyncHTTPClient

/// Bounds one request attempt as a whole, from sending (connecting included) to the last
/// byte of the answer, in real time (`ContinuousClock`, never the injected `APIClock`, whose
/// test clocks skip ahead):
/// - AsyncHTTPClient's connect timeout and its deadline (`execute(_:timeout:)`) bound
///   connecting and the answer's head;
/// - its read timeout bounds a silence inside the body;
/// - `WholeBodyTransport` checks this bound at every chunk of the body, so a server that
///   trickles its answer cannot hold a request open beyond it.
///
/// It was a task group per request racing the attempt against a timer: two child tasks and
/// a timer for every request, about 7.5% of a 1,000-channel plan's instructions (callgrind,
/// docs/performance.md).
struct RequestDeadline {
    /// The bound of one attempt for `--timeout` `timeout`: the timeout plus a grace of up to a
    /// second, so that when nothing accepts the connection the HTTP client's own connect
    /// timeout (at `timeout`, at most 10 s) is reported first — "cannot connect", not retried —
    /// rather than this bound's "no answer".
    static func limit(for timeout: Duration) -> Duration { timeout + min(timeout, .seconds(1)) }

    private let end: ContinuousClock.Instant

    /// The deadline of an attempt starting now.
    init(timeout: Duration) { end = .now + Self.limit(for: timeout) }

    /// Throws `HTTPClientError.deadlineExceeded` (reported as "no answer within …" and retried
    /// like any timeout) once the bound has passed.
    func check() throws {
        if ContinuousClock.now >= end { throw HTTPClientError.deadlineExceeded }
    }
}
