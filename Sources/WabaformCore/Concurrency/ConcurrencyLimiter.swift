import Synchronization

/// At most `limit` operations at once (`--parallelism`); later callers wait in FIFO order.
/// A waiting caller that is cancelled stops waiting with `CancellationError`.
public final class ConcurrencyLimiter: Sendable {
    public let limit: Int

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        /// The width in force: at most `limit`, halved by a 429, widened by one after a
        /// window of successes (additive increase, multiplicative decrease).
        var current: Int
        var successesSinceChange = 0
        /// Bumped by every narrowing; a 429 on a request admitted before it narrows nothing more.
        var epoch = 0
        var throttles = 0
        var inUse = 0
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
        /// Waiters cancelled before they were queued.
        var cancelledEarly: Set<UInt64> = []
        var peak = 0
    }

    private let state: Mutex<State>

    public init(limit: Int) {
        self.limit = max(1, limit)
        self.state = Mutex(State(current: max(1, limit)))
    }

    /// The width in force now.
    public var currentLimit: Int { state.withLock { $0.current } }
    /// How many 429s narrowed it.
    public var throttleCount: Int { state.withLock { $0.throttles } }

    /// The epoch a request admitted now belongs to.
    public var epoch: Int { state.withLock { $0.epoch } }

    /// The API answered 429 to a request admitted in `epoch`: halve the width (at least 1),
    /// once per epoch, so a burst of 429s from requests already in flight narrows it once.
    public func recordThrottled(epoch: Int) {
        state.withLock { state in
            state.throttles += 1
            guard epoch == state.epoch else { return }
            state.epoch += 1
            state.current = max(1, state.current / 2)
            state.successesSinceChange = 0
        }
    }

    /// A request succeeded: after as many successes as the current width, widen by one, and
    /// admit a waiter into the new slot.
    public func recordSuccess() {
        let admitted = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard state.current < limit else { return nil }
            state.successesSinceChange += 1
            guard state.successesSinceChange >= state.current else { return nil }
            state.successesSinceChange = 0
            state.current += 1
            guard state.inUse < state.current, !state.waiters.isEmpty else { return nil }
            state.inUse += 1
            state.peak = max(state.peak, state.inUse)
            return state.waiters.removeFirst().continuation
        }
        admitted?.resume()
    }

    /// Operations running now.
    public var inUse: Int { state.withLock { $0.inUse } }
    /// The most operations that ever ran at once (for tests and diagnostics).
    public var peak: Int { state.withLock { $0.peak } }

    /// Runs `body` holding one of the `limit` permits.
    public func withPermit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    private enum Admission { case admitted, queued, cancelled }

    func acquire() async throws {
        try Task.checkCancellation()
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let admission = state.withLock { state -> Admission in
                    if state.cancelledEarly.remove(id) != nil { return .cancelled }
                    if state.inUse < state.current, state.waiters.isEmpty {
                        state.inUse += 1
                        state.peak = max(state.peak, state.inUse)
                        return .admitted
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .queued
                }
                switch admission {
                case .admitted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued: break
                }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                // Not queued yet (or already admitted, in which case this entry is never read).
                state.cancelledEarly.insert(id)
                return nil
            }
            waiting?.resume(throwing: CancellationError())
        }
        // Admitted: an entry left by a cancellation that raced with admission is dropped.
        _ = state.withLock { $0.cancelledEarly.remove(id) }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            // Narrowed since this permit was taken: the slot closes instead of passing on.
            if state.waiters.isEmpty || state.inUse > state.current {
                state.inUse -= 1
                return nil
            }
            // The permit passes straight to the first waiter; inUse stays the same.
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
