import AsyncHTTPClient

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
                try await Task.sleep(for: limit)
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
}
