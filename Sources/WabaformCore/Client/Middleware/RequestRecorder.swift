import Foundation
import Synchronization

/// Every HTTP attempt made while it is installed (`RequestRecorder.$current`), as
/// `RequestLogMiddleware` sees it: host, method, path, status, time, `Retry-After`. What
/// `wabaform doctor` reports as latency per host and throttling seen. A task-local, so the
/// client's middleware stack stays the same for every command and a caller can watch one
/// operation (one webhook read) by installing a recorder around it.
/// Paths and statuses only: never headers (keys) or bodies.
public final class RequestRecorder: Sendable {
    public struct Attempt: Sendable, Equatable {
        /// `host` or `host:port`.
        public var host: String
        public var method: String
        /// The path without the query.
        public var path: String
        /// The status answered; nil when no answer came (timeout, refused, dropped).
        public var status: Int?
        public var duration: Duration
        /// Whether the answer carried a `Retry-After` header, and the wait it asked for when readable.
        public var sentRetryAfter: Bool
        public var retryAfter: Duration?
    }

    @TaskLocal public static var current: RequestRecorder?

    private let attempts = Mutex<[Attempt]>([])
    /// Also told of every attempt (a recorder around one operation inside a run-wide one).
    private let parent: RequestRecorder?

    public init(parent: RequestRecorder? = nil) { self.parent = parent }

    /// Attempts so far, in the order they ended.
    public var all: [Attempt] { attempts.withLock { $0 } }

    func record(_ attempt: Attempt) {
        attempts.withLock { $0.append(attempt) }
        parent?.record(attempt)
    }

    /// Runs `body` with a recorder of its own (that also reports to the current one).
    public static func recording<T>(_ body: () async throws -> T) async rethrows -> (T, [Attempt]) {
        let recorder = RequestRecorder(parent: current)
        let result = try await $current.withValue(recorder) { try await body() }
        return (result, recorder.all)
    }
}
