import Synchronization

/// A request to stop applying softly (the first Ctrl-C): no new write starts, the writes in
/// flight finish and are read back, and the ledger says what was done. Shared between the
/// signal handler and the applier.
public final class ApplyStop: Sendable {
    private struct State {
        var reason: String?
        var writing = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Why a stop was requested; nil while none was.
    public var stopReason: String? { state.withLock { $0.reason } }

    /// Requests the stop. Returns whether writing had begun (false: nothing was written, and
    /// none will be).
    @discardableResult
    public func request(_ reason: String) -> Bool {
        state.withLock { state in
            if state.reason == nil { state.reason = reason }
            return state.writing
        }
    }

    /// Called once, just before the first write. Returns false (and writing never begins)
    /// when a stop was requested first.
    public func beginWriting() -> Bool {
        state.withLock { state in
            guard state.reason == nil else { return false }
            state.writing = true
            return true
        }
    }
}
