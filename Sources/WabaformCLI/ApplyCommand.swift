import ArgumentParser
import Foundation
import WabaformConfig
import WabaformCore

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a fresh plan (after a yes, or --auto-approve) or a saved plan file.",
        discussion: """
            Prints the plan, checks the guards, asks, writes with bounded concurrency, then reads \
            back every changed attribute. Exit 0 done and verified, 1 error (or --deadline passed), \
            3 partial (the report says which changes failed; run apply again), 4 blocked before any \
            write (a guard, no confirmation, a saved plan that no longer holds, another apply for the \
            partner holding the lock). Ctrl-C before any write exits 4; during writes it starts no \
            new write, lets those in flight finish and prints the ledger (exit 3, or 0 when nothing \
            was left); a second Ctrl-C exits at once.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var shared: SharedOptions
    @OptionGroup var api: APIOptions

    @Argument(
        help: ArgumentHelp(
            "A plan saved by `wabaform plan --out FILE`: apply exactly it, or refuse if anything moved.", valueName: "planfile"))
    var planFile: String?

    @Flag(help: "Apply without asking.")
    var autoApprove = false

    @Flag(help: "Print each request apply would send (secrets masked) and send no write.")
    var dryRun = false

    @Flag(help: "Allow changes that can interrupt a live number (local storage of a ready/live channel).")
    var allowDisruptive = false

    @Flag(help: "Allow changing the webhook of more than 10 channels and more than 25% of all channels.")
    var allowMassChange = false

    @Option(help: "Output format of the result: text or json.")
    var format: Format = .text

    @OptionGroup var targets: TargetOptions

    @Option(
        help: ArgumentHelp(
            "Seconds to wait while another apply for the same partner on this machine holds the lock (0 to 3600); then exit 4.",
            valueName: "seconds"))
    var lockWait = 30

    @Option(
        help: ArgumentHelp(
            "Seconds to keep reading back a WABA webhook write, which the API applies asynchronously, before calling it not converged (1 to 600).",
            valueName: "seconds"))
    var wabaReadbackTimeout = WABAReadback.defaultTimeoutSeconds

    func validate() throws {
        try NumericFlag.check("--lock-wait", lockWait, in: 0...3600, unit: "seconds")
        try NumericFlag.check("--waba-readback-timeout", wabaReadbackTimeout, in: 1...600, unit: "seconds")
    }

    func run() async throws {
        let command = self
        let targets = try self.targets.parsed()
        let status: ExitStatus = try await api.withEnvironment { environment in
            let shared = command.shared
            let stop = ApplyStop()
            var request = ApplyService.Request(
                plan: command.api.planRequest(shared: shared, environment: environment, targets: targets),
                planFile: command.planFile,
                consent: [command.allowDisruptive ? .disruptive : [], command.allowMassChange ? .massChange : []])
            request.dryRun = command.dryRun
            request.lock = ApplyLock.Settings(wait: .seconds(command.lockWait))
            request.stop = stop
            request.wabaReadback = WABAReadback(timeout: .seconds(command.wabaReadbackTimeout))
            request.onLockWait = { holder in
                StandardStreams.writeError("waiting up to \(command.lockWait) s for another apply of this partner to finish (\(holder))\n")
            }
            let progress = ProgressLine()
            let color = shared.useColor(for: command.format == .text ? .standardOutput : .standardError, environment: environment)
            let interrupts = InterruptHandler(stop: stop)
            defer { interrupts.remove() }
            let (report, expired) = await RunDeadline.run(command.api.deadline.duration) { [request] in
                await ApplyService.run(
                    request, progress: { progress.update($0) },
                    show: { plan in
                        progress.finish()
                        let text = TextPlanRenderer(color: color).render(plan)
                        if command.format == .text { StandardStreams.write(text) } else { StandardStreams.writeError(text) }
                    },
                    confirm: { plan in command.confirm(plan) })
            }
            progress.finish()
            guard expired else { return command.present(report) }
            var stopped = report
            stopped.plan.errors.removeAll { $0 == .cancelled }
            _ = command.present(stopped)
            StandardStreams.writeError("error: \(RunDeadline.message(command.api.deadline, writes: report.ledger != nil))\n")
            return .failure
        }
        throw ExitCode(status.rawValue)
    }

    func confirm(_ plan: Plan) -> ApplyService.Confirmation {
        if autoApprove { return .yes }
        guard isatty(FileHandle.standardInput.fileDescriptor) == 1 else { return .cannotAsk }
        StandardStreams.writeError("\nApply these \(plan.changes.count) change(s) to partner \(plan.partnerID)? Only 'yes' is accepted: ")
        return readLine()?.trimmingCharacters(in: .whitespaces) == "yes" ? .yes : .no
    }

    func present(_ report: ApplyService.Report) -> ExitStatus {
        StandardStreams.writeError(Diagnostic.renderText(report.plan.diagnostics))
        for warning in report.plan.warnings { StandardStreams.writeError("warning: \(warning)\n") }
        StandardStreams.writeThrottled(report.plan.throttled)
        for error in report.plan.errors { StandardStreams.writeError("error: \(error)\n") }
        if report.plan.failed, report.ledger == nil, report.dryRun == nil {
            StandardStreams.writeError("Apply stopped before any write: nothing was changed.\n")
        }
        if !report.blocked.isEmpty {
            for reason in report.blocked { StandardStreams.writeError("error: \(reason)\n") }
            StandardStreams.writeError("Apply blocked: nothing was changed.\n")
        }
        if let requests = report.dryRun {
            StandardStreams.write("\nDry run: apply would send these \(requests.count) request(s) and sends none:\n\n")
            for request in requests { StandardStreams.write(request.description + "\n") }
        }
        if let ledger = report.ledger {
            switch format {
            case .text: StandardStreams.write("\n" + ledger.renderText())
            case .json: StandardStreams.write(ledger.renderJSON())
            }
        } else if report.status == .success, report.dryRun == nil, report.plan.plan?.isEmpty == true {
            if format == .json {
                StandardStreams.write(ApplyLedger(entries: []).renderJSON())
            } else {
                StandardStreams.write("No changes: live state matches the configuration. Nothing to apply.\n")
            }
        }
        return report.status
    }
}
