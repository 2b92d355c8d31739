import ArgumentParser
import Foundation
import WabaformConfig
import WabaformCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check config files offline: syntax, keys, types, URLs, regions, variables.",
        discussion: """
            Reads no network. Prints every problem as FILE:LINE:COLUMN: error: MESSAGE with the \
            source line and a caret (text), or a JSON list of {file, line, column, severity, message}. \
            Exit 0 when valid, 1 when not (with --strict, warnings count as errors).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var shared: SharedOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    /// Accepted, and ignored with a warning, for scripts written when every command took it:
    /// validate reads no network, so it has nothing to run in parallel.
    @Option(help: .hidden)
    var parallelism: Int?

    func run() throws {
        if parallelism != nil {
            StandardStreams.writeError(
                "warning: --parallelism has no effect on validate, which reads no network; it is ignored and will be removed\n")
        }
        let environment = ProcessInfo.processInfo.environment
        let outcome = ConfigValidation.run(
            paths: shared.files, workingDirectory: FileManager.default.currentDirectoryPath, environment: environment,
            format: format == .json ? .json : .text, strict: shared.strict)
        StandardStreams.write(outcome.stdout)
        StandardStreams.writeError(outcome.stderr)
        throw ExitCode(ExitStatus(outcome).rawValue)
    }
}
