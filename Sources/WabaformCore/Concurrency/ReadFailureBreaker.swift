/// Decides, while many channel reads run, whether one more read that failed after every retry
/// is that channel's bad luck (the channel becomes unknown, the others carry on) or a sign
/// that the API itself is failing (stop reading and fail the run).
///
/// The API is taken to be failing after `consecutiveLimit` failed reads in a row with no
/// success between them, or once more than a tenth of the reads (at least `minimumBudget`)
/// have failed. A run against an API that is down thus ends after a handful of reads instead
/// of retrying every channel; random faults (each read already retried) almost never trip it.
actor ReadFailureBreaker {
    static let consecutiveLimit = 5
    static let minimumBudget = 10

    /// Reads expected in all: the budget is a tenth of them.
    private var total: Int
    private var failed = 0
    private var inARow = 0

    private var budget: Int { max(Self.minimumBudget, total / 10) }

    init(total: Int) {
        self.total = total
    }

    /// `count` more reads are coming (reads started page by page, as the channel list arrives).
    func expect(_ count: Int) { total += count }

    func succeeded() { inARow = 0 }

    /// Records a failed read; returns the error to stop with, or nil to carry on.
    func failed(_ error: any Error) -> (any Error)? {
        failed += 1
        inARow += 1
        guard inARow >= Self.consecutiveLimit || failed > budget else { return nil }
        return APIFailing(failedReads: failed, inARow: inARow >= Self.consecutiveLimit, last: error)
    }

    /// Too many reads failed: the run stops.
    struct APIFailing: Error, CustomStringConvertible {
        var failedReads: Int
        var inARow: Bool
        var last: any Error

        var description: String {
            let how =
                inARow
                ? "\(failedReads) reads failed, the last \(ReadFailureBreaker.consecutiveLimit) in a row" : "\(failedReads) reads failed"
            return "\(how), so wabaform stopped reading (the API seems to be failing): \(last)"
        }
    }
}
