import Foundation
import Synchronization
import WabaformCore

/// Progress of long reads and writes on stderr, never stdout: "reading webhooks 1200/10011
/// (11%), 410/s, about 21 s left". On a terminal one line redrawn in place (at most ten times a
/// second); otherwise (CI, a pipe) a line every 10 s, so a short run prints nothing.
/// `WABAFORM_PROGRESS_INTERVAL` sets that interval in seconds; 0 turns progress off.
final class ProgressLine: Sendable {
    enum Mode: Equatable {
        case off
        case terminal
        case lines(every: Duration)
    }

    private struct State {
        var shown = false
        var lastShown: ContinuousClock.Instant
        var stage = ""
        var stageStart: ContinuousClock.Instant
        var stageStartDone = 0
    }

    let mode: Mode
    private let write: @Sendable (String) -> Void
    private let state: Mutex<State>

    init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        isTerminal: Bool = isatty(FileHandle.standardError.fileDescriptor) == 1,
        write: @escaping @Sendable (String) -> Void = { StandardStreams.writeError($0) }
    ) {
        let interval = environment["WABAFORM_PROGRESS_INTERVAL"].flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil } ?? 10
        mode = interval <= 0 ? .off : isTerminal ? .terminal : .lines(every: .milliseconds(Int64(min(interval, 86_400) * 1_000)))
        self.write = write
        let now = ContinuousClock.now
        state = Mutex(State(lastShown: now, stageStart: now))
    }

    func update(_ progress: LiveStateReader.Progress) {
        guard mode != .off else { return }
        let now = ContinuousClock.now
        let text = state.withLock { state -> String? in
            if progress.stage != state.stage {
                state.stage = progress.stage
                state.stageStart = now
                state.stageStartDone = progress.done
            }
            switch mode {
            case .off: return nil
            case .terminal:
                guard !state.shown || now - state.lastShown >= .milliseconds(100) || progress.done >= progress.total else { return nil }
            case .lines(let every):
                guard now - state.lastShown >= every else { return nil }
            }
            state.shown = true
            state.lastShown = now
            return Self.text(progress, since: now - state.stageStart, doneSince: progress.done - state.stageStartDone)
        }
        guard let text else { return }
        write(mode == .terminal ? "\r\u{1B}[K" + text : text + "\n")
    }

    func finish() {
        guard mode == .terminal, state.withLock({ $0.shown }) else { return }
        write("\r\u{1B}[K")
    }

    /// "reading webhooks 1200/10011 (11%), 410/s, about 21 s left"; the rate and the time left
    /// once half a second of the stage has passed.
    static func text(_ progress: LiveStateReader.Progress, since elapsed: Duration, doneSince: Int) -> String {
        let verb = progress.stage == "changes" ? "applying" : "reading"
        var text = "\(verb) \(progress.stage) \(progress.done)/\(progress.total)"
        if progress.total > 0 { text += " (\(progress.done * 100 / progress.total)%)" }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard seconds >= 0.5, doneSince > 0 else { return text }
        let rate = Double(doneSince) / seconds
        text += ", \(rate >= 10 ? String(Int(rate.rounded())) : String(format: "%.1f", rate))/s"
        let left = Double(max(0, progress.total - progress.done)) / rate
        if progress.done < progress.total { text += ", about \(Self.duration(left)) left" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3_600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3_600) h \(whole % 3_600 / 60) min"
    }
}
