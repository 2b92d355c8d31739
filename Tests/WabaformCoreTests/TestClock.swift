import Synchronization
@testable import WabaformCore

/// A clock for tests: `sleep` records the duration asked for and never waits. By default
/// it also moves time forward by that duration, as if the sleep had happened.
final class TestClock: APIClock {
    private struct State {
        var now: Duration = .zero
        var sleeps: [Duration] = []
    }

    private let state = Mutex(State())
    let advancesOnSleep: Bool

    init(advancesOnSleep: Bool = true) { self.advancesOnSleep = advancesOnSleep }

    var now: Duration { state.withLock { $0.now } }

    /// Every sleep asked for, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func advance(by duration: Duration) { state.withLock { $0.now += duration } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(duration)
            if advancesOnSleep, duration > .zero { state.now += duration }
        }
        await Task.yield()
        try Task.checkCancellation()
    }
}
