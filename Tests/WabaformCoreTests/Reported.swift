import Synchronization

/// The last progress report.
final class Reported: Sendable {
    private let state = Mutex<(Int, Int)?>(nil)
    func add(_ read: Int, _ total: Int) { state.withLock { $0 = (read, total) } }
    var last: (Int, Int)? { state.withLock { $0 } }
}
