import Dispatch
import Foundation
import WabaformCore

/// Ctrl-C during apply. The first SIGINT before any write exits at once (exit 4: nothing
/// was changed); once writing has begun it stops new writes, lets the ones in flight finish
/// and be read back, and apply prints the ledger (exit 3 when something was left undone, 0
/// when nothing was). A second SIGINT exits at once, by the signal.
final class InterruptHandler: @unchecked Sendable {  // the source is only resumed and cancelled
    private let source: any DispatchSourceSignal

    init(stop: ApplyStop) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "wabaform.sigint"))
        nonisolated(unsafe) var count = 0  // only touched on the source's serial queue
        source.setEventHandler {
            count += 1
            if count == 1 {
                if stop.request("apply was interrupted (Ctrl-C)") {
                    StandardStreams.writeError(
                        "\nInterrupted: no new write starts; waiting for the writes in flight to finish, then the ledger (Ctrl-C again to exit at once)\n"
                    )
                } else {
                    StandardStreams.writeError("\nInterrupted before any write: nothing was changed.\n")
                    exit(4)
                }
            } else {
                StandardStreams.writeError(
                    "\nInterrupted again: exiting at once. Writes in flight may or may not have taken effect: run `wabaform plan` to see where things stand.\n"
                )
                // Ended by the signal itself, as an unhandled Ctrl-C would. This Dispatch thread
                // blocks signals: unblock SIGINT here and raise it on this thread, so the end does
                // not wait for another thread to take a process-wide signal (under load that took
                // longer than any fixed wait, and the run ended by exit instead of the signal).
                signal(SIGINT, SIG_DFL)
                var interrupt = sigset_t()
                sigemptyset(&interrupt)
                sigaddset(&interrupt, SIGINT)
                pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
                raise(SIGINT)
                _exit(130)
            }
        }
        source.resume()
    }

    /// Back to the default: Ctrl-C ends the process.
    func remove() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
