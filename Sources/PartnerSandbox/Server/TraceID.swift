import Foundation
import Synchronization

/// Trace ids for error envelopes, as 360dialog support asks for them.
enum TraceID {
    private static let serial = Atomic<Int>(0)
    private static let salt = UUID().uuidString

    static func next() -> String {
        let n = serial.add(1, ordering: .relaxed).newValue
        return "sbx-trace-" + SandboxKeys.derived("trace:\(salt):\(n)").prefix(16)
    }
}
