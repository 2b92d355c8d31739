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
            report) when drift is found, and none when in sync; a failed notification exits 1.
            """
    )

    @OptionGroup var shared: SharedOptions
    @OptionGroup var api: APIOptions

    @Option(help: "Output format: text, json or markdown.")
    var format: PlanCommand.Format = .text

    @Option(help: ArgumentHelp("Post a JSON message here when drift is found (https, or http to loopback).", valueName: "url"))
    var notify: String?

    func run() async throws {
        let command = self
        let notifyURL: URL?
        do { notifyURL = try notify.map(DriftNotifier.validate) } catch { throw ValidationError(error.description) }
        let code: Int32 = try await api.withEnvironment { environment in
            let shared = command.shared
            let request = PlanService.Request(
                paths: shared.files, workingDirectory: FileManager.default.currentDirectoryPath,
                connection: command.api.connection(shared: shared, environment: environment, logger: CLILogging.logger(verbose: shared.verbose)),
                strict: shared.strict)
            let progress = ProgressLine()
            let bounded = await RunDeadline.run(command.api.deadline.duration) { await DriftService.run(request) { progress.update($0) } }
            var report = bounded.value
            if bounded.expired {
                report.errors.removeAll { $0 == "cancelled" }
                report.errors.append(RunDeadline.message(command.api.deadline, writes: false))
            }
            progress.finish()
            var code = PlanCommand.present(report, format: command.format, out: nil, detailedExitcode: true, shared: shared, environment: environment, purpose: .drift)
            if code == 2, let notifyURL, let plan = report.plan {
                do {
                    try await DriftNotifier.post(plan, to: notifyURL, timeout: .milliseconds(Int64(command.api.timeout * 1000)))
                    StandardStreams.writeError("drift reported to \(notifyURL.host ?? "")\n")
                } catch {
                    StandardStreams.writeError("error: \(error)\n")
                    code = 1
                }
            }
            return code
        }
        throw ExitCode(code)
    }
}
