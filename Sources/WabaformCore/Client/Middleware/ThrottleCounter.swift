import Synchronization

/// How many answers said "later" (429, or the Messaging API's 400 usage limit) during a run,
/// across every request of one client, so a report can show throttling apart from failures.
public final class ThrottleCounter: Sendable {
    private let count = Mutex(0)

    public init() {}

    func record() { count.withLock { $0 += 1 } }

    /// Throttled answers so far (each was waited out or, past the retry limit, reported).
    public var value: Int { count.withLock { $0 } }
}
