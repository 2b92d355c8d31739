import ArgumentParser
import Foundation
import WabaformConfig
import WabaformCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Read live state and print what apply would change.",
        discussion: """
            Exit 0 when the plan was made (with --detailed-exitcode: 0 no changes, 2 changes), \
            1 on any error. Unknown values (a channel without a key) are warnings; errors with --strict. \
            --out saves the plan for `wabaform apply PLANFILE`; it holds digests, never secrets.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @OptionGroup var shared: SharedOptions
    @OptionGroup var api: APIOptions

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Save the plan to this file for `wabaform apply FILE`.", valueName: "file"))
    var out: String?

    @Flag(help: "Exit 2 when there are changes (0 when none).")
    var detailedExitcode = false

    @OptionGroup var targets: TargetOptions

    func run() async throws {
        let shared = self.shared, api = self.api, format = self.format, out = self.out
        try api.refuseOverwritingInputs(out: out, shared: shared)
        let targets = try self.targets.parsed()
        let status: ExitStatus = try await api.withEnvironment { environment in
            let request = api.planRequest(shared: shared, environment: environment, targets: targets)
            let report = await api.readWithinDeadline { await PlanService.run(request, progress: $0) }
            return Self.present(
                report, format: format, out: out, detailedExitcode: detailedExitcode, shared: shared, environment: environment)
        }
        throw ExitCode(status.rawValue)
    }

    static func present(
        _ report: PlanService.Report, format: Format, out: String?, detailedExitcode: Bool, shared: SharedOptions,
        environment: [String: String], purpose: PlanPurpose = .plan
    ) -> ExitStatus {
        StandardStreams.writeError(Diagnostic.renderText(report.diagnostics))
        for warning in report.warnings { StandardStreams.writeError("warning: \(warning)\n") }
        StandardStreams.writeThrottled(report.throttled)
        if let plan = report.plan {
            // Text and JSON are written as they are rendered, a chunk at a time (each redacted on
            // its way out, as a whole output would be): a six-figure plan is never one string.
            let stdout = ChunkedOutput(emit: StandardStreams.write)
            switch format {
            case .text:
                TextPlanRenderer(color: shared.useColor(for: .standardOutput, environment: environment), purpose: purpose)
                    .render(plan, to: stdout)
            case .json: JSONPlanRenderer().render(plan, to: stdout)
            case .markdown: StandardStreams.write(MarkdownPlanRenderer(purpose: purpose).render(plan))
            }
            // In GitHub Actions, the job summary shows the plan too.
            if let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
                do { try StepSummary.append(MarkdownPlanRenderer(purpose: purpose).render(plan), to: summary) } catch {
                    StandardStreams.writeError(
                        "warning: cannot write the plan to GITHUB_STEP_SUMMARY (\(summary)): \(error.localizedDescription)\n")
                }
            }
            if let out, let saved = report.savedPlan(wabaformVersion: Wabaform.version) {
                do {
                    // Mode 0600: the digests are keyed, but the plan is still nobody else's business.
                    try OutputFile.write(SavedPlan.redacted(saved.encoded()), to: out, newFileMode: 0o600)
                    StandardStreams.writeError("saved plan to \(out); apply it with: wabaform apply \(out)\n")
                } catch {
                    StandardStreams.writeError("error: cannot write the plan to \(out): \(error)\n")
                    return .failure
                }
            }
        }
        for error in report.errors { StandardStreams.writeError("error: \(error)\n") }
        return ExitStatus(report, detailed: detailedExitcode)
    }
}
