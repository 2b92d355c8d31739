import ArgumentParser
import Foundation
import WabaformConfig
import WabaformCore

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Read-only check of your account: credentials, partner id, channel keys and every API assumption.",
        discussion: """
            The first command to run against your account. It only reads: the partner, one or two \
            pages of channels, the webhooks of at most --sample channels with the keys at hand, and \
            one webhook read with a key that cannot be valid. Each check prints held, did not hold \
            or could not check, with what was seen and what wabaform does because of it. The partner \
            id comes from partner.id of the config named with -f, else WABAFORM_PARTNER_ID. Exit 0 \
            all held, 2 some did not hold (wabaform adapts), 1 it could not check (bad credentials, \
            unreachable). See docs/doctor.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var shared: SharedOptions
    @OptionGroup var api: APIOptions

    @Option(help: ArgumentHelp("Read the webhooks of at most N channels that have a key.", valueName: "n"))
    var sample = DoctorService.defaultSample

    @Option(help: "Output format: text or json (for a support ticket).")
    var format: Format = .text

    func validate() throws {
        guard sample >= 0, sample <= 100 else { throw ValidationError("--sample must be between 0 and 100") }
    }

    func run() async throws {
        let command = self
        let status: ExitStatus = try await api.withEnvironment { environment in
            let shared = command.shared
            let request = DoctorService.Request(
                paths: shared.files, workingDirectory: FileManager.default.currentDirectoryPath,
                connection: command.api.connection(
                    shared: shared, environment: environment, logger: CLILogging.logger(verbose: shared.verbose)),
                sample: command.sample)
            let report = await DoctorService.run(request)
            StandardStreams.writeError(Diagnostic.renderText(report.diagnostics))
            for warning in report.warnings { StandardStreams.writeError("warning: \(warning)\n") }
            for error in report.errorMessages { StandardStreams.writeError("error: \(error)\n") }
            switch command.format {
            case .text: StandardStreams.write(report.renderText())
            case .json: StandardStreams.write(report.renderJSON())
            }
            return report.status
        }
        throw ExitCode(status.rawValue)
    }
}
