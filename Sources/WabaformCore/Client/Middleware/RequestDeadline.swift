import AsyncHTTPClient
import NIOCore

/// Bounds one request attempt as a whole, in real time (`ContinuousClock`, never the
/// injected `APIClock`, whose test clocks skip ahead).
enum RequestDeadline {
    /// The bound of one attempt for `--timeout` `timeout`: the timeout plus a grace of up to a
    /// second, so that when nothing accepts the connection the HTTP client's own connect
    /// timeout (at `timeout`, at most 10 s) is reported first — "cannot connect", not retried —
    /// rather than this bound's "no answer".
    static func limit(for timeout: Duration) -> Duration { timeout + min(timeout, .seconds(1)) }

    /// Runs `body`; when it has not finished within `limit`, cancels it and throws
    /// `HTTPClientError.deadlineExceeded` (reported as "no answer within …" and retried like
    /// any timeout). A nil limit runs `body` unbounded.
    static func within<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let limit else { return try await body() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Self.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            guard let value = first else {
                try Task.checkCancellation()
                throw HTTPClientError.deadlineExceeded
            }
            return value
        }
    }

    /// Sleeps on an event loop's timer, which is removed when the sleep is cancelled: a
    /// cancelled `Task.sleep` leaves its dispatch timer (and task) in place until the
    /// deadline, so every request of the last `limit` (31 s by default) held one — about 15%
    /// of the heap of a 5,000-channel plan (massif, docs/performance.md).
    static func sleep(for duration: Duration) async throws {
        let scheduled = HTTPClient.defaultEventLoopGroup.any().scheduleTask(in: TimeAmount(duration)) {}
        try await withTaskCancellationHandler {
            do { try await scheduled.futureResult.get() } catch { throw CancellationError() }
        } onCancel: {
            scheduled.cancel()
        }
    }
}
