import Synchronization

/// Trace ids for error envelopes, as 360dialog support asks for them.
enum TraceID {
    private static let serial = Atomic<Int>(0)

    static func next() -> String {
        let n = serial.add(1, ordering: .relaxed).newValue
        return "sbx-trace-" + SandboxKeys.derived("trace:\(n)").prefix(16)
    }
}
