import ArgumentParser
import Foundation
import WabaformConfig
import WabaformCore

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Read-only check for scheduled runs: does live state still match the config?",
        discussion: """
            Exit 0 in sync, 2 drift found, 1 error. It can only read: no code path of drift reaches \
            a write. With --notify URL it posts one JSON message (Slack-compatible "text", plus the \
            report) when drift is found, and none when in sync; a failed notification exits 1. \
            With --notify-state FILE it posts once per distinct drift: the same drift again posts \
            nothing, a different one posts again, and when it clears one "resolved" message follows. \
            FILE holds only a digest of the reported drift (no secret); keep it between runs.
            """
    )

    @OptionGroup var shared: SharedOptions
    @OptionGroup var api: APIOptions

    @Option(help: "Output format: text, json or markdown.")
    var format: PlanCommand.Format = .text

    @OptionGroup var targets: TargetOptions

    @Option(help: ArgumentHelp("Post a JSON message here when drift is found (https, or http to loopback).", valueName: "url"))
    var notify: String?

    @Option(
        help: ArgumentHelp(
            "With --notify: remember the drift last reported here, so the same drift is posted once and its end once.",
            valueName: "file"))
    var notifyState: String?

    func run() async throws {
        let command = self
        let notifyURL: URL?
        do { notifyURL = try notify.map(DriftNotifier.validate) } catch { throw ValidationError(error.description) }
        let targets = try self.targets.parsed()
        if notifyState != nil, notifyURL == nil {
            throw ValidationError("--notify-state needs --notify URL (it remembers what was posted there)")
        }
        let status: ExitStatus = try await api.withEnvironment { environment in
            let shared = command.shared
            let request = command.api.planRequest(shared: shared, environment: environment, targets: targets)
            let report = await command.api.readWithinDeadline { await DriftService.run(request, progress: $0) }
            var status = PlanCommand.present(
                report, format: command.format, out: nil, detailedExitcode: true, shared: shared, environment: environment, purpose: .drift)
            if let statePath = command.notifyState, let notifyURL, status != .failure, let plan = report.plan {
                status = await Self.notifyOnce(plan, status: status, url: notifyURL, statePath: statePath, timeout: command.api.timeout)
            } else if status == .differs, let notifyURL, let plan = report.plan {
                do {
                    try await DriftNotifier.post(plan, to: notifyURL, timeout: .milliseconds(Int64(command.api.timeout * 1000)))
                    StandardStreams.writeError("drift reported to \(notifyURL.host ?? "")\n")
                } catch {
                    StandardStreams.writeError("error: \(error)\n")
                    status = .failure
                }
            }
            return status
        }
        throw ExitCode(status.rawValue)
    }

    /// `--notify-state`: post only what is new since the last report, then remember it. The
    /// state changes only after a message was accepted, so a failed post is retried next run.
    static func notifyOnce(_ plan: Plan, status: ExitStatus, url: URL, statePath: String, timeout: Double) async -> ExitStatus {
        let host = url.host ?? ""
        do {
            let previous: DriftAlertState?
            do {
                previous = try DriftAlertState.load(path: statePath)
            } catch {
                StandardStreams.writeError("warning: \(error); treating it as empty\n")
                previous = nil
            }
            switch DriftAlertState.decide(previous: previous, plan: plan) {
            case .nothingToReport:
                break
            case .alreadyReported:
                StandardStreams.writeError("drift unchanged since it was reported to \(host); not posted again (--notify-state)\n")
            case .reportDrift(let state):
                try await DriftNotifier.post(plan, to: url, timeout: .seconds(Int64(timeout)))
                try state.save(path: statePath)
                StandardStreams.writeError("drift reported to \(host)\n")
            case .reportResolved(let state):
                try await DriftNotifier.post(
                    message: DriftNotifier.resolvedMessage(partnerID: plan.partnerID), to: url, timeout: .seconds(Int64(timeout)))
                try state.save(path: statePath)
                StandardStreams.writeError("drift resolved; reported to \(host)\n")
            }
            return status
        } catch {
            StandardStreams.writeError("error: \(error)\n")
            return .failure
        }
    }
}
