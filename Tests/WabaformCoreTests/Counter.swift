import Synchronization

/// A thread-safe counter for scripted fakes.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one; returns the count before.
    @discardableResult
    func next() -> Int {
        value.withLock { count in
            count += 1
            return count - 1
        }
    }

    var count: Int { value.withLock { $0 } }
}
