import Foundation
import Synchronization

/// The overall deadline of a run (`--deadline`): the work runs in a task that is cancelled
/// when the deadline passes; the command then reports what was done and exits 1.
enum RunDeadline {
    private final class Flag: Sendable {
        let value = Mutex(false)
    }

    /// Runs `body`, cancelling it at `limit`. Returns its value (made after cancellation, so
    /// it says what was done) and whether the deadline cut it short.
    static func run<T: Sendable>(
        _ limit: Duration, _ body: @escaping @Sendable () async -> T
    ) async -> (value: T, expired: Bool) {
        let expired = Flag()
        let work = Task { await body() }
        let timer = Task {
            do { try await Task.sleep(for: limit) } catch { return }
            expired.value.withLock { $0 = true }
            work.cancel()
        }
        let value = await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            work.cancel()
        }
        timer.cancel()
        return (value, expired.value.withLock { $0 })
    }

    /// The error line for a run the deadline stopped.
    static func message(_ deadline: RunDuration, writes: Bool) -> String {
        "the run did not finish within its deadline (--deadline \(deadline)) and was stopped"
            + (writes ? "; the ledger above says what was written" : "; nothing was written")
    }
}
