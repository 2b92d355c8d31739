import Foundation
import Synchronization
import WabaformCore

/// "reading channels 1000/10012" on one updating stderr line, only when stderr is a terminal.
final class ProgressLine: Sendable {
    private let enabled: Bool
    private let last = Mutex<String>("")

    init(enabled: Bool = isatty(FileHandle.standardError.fileDescriptor) == 1) { self.enabled = enabled }

    func update(_ progress: LiveStateReader.Progress) {
        guard enabled else { return }
        let text = "reading \(progress.stage) \(progress.done)/\(progress.total)"
        let changed = last.withLock { current in
            defer { current = text }
            return current != text
        }
        if changed { StandardStreams.writeError("\r\u{1B}[K" + text) }
    }

    func finish() {
        guard enabled, !last.withLock({ $0.isEmpty }) else { return }
        StandardStreams.writeError("\r\u{1B}[K")
    }
}
