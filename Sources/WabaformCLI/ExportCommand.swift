import ArgumentParser
import Foundation
import WabaformConfig
import WabaformCore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the live state as a wabaform config file.",
        discussion: """
            Reads the partner, every channel and each channel's webhook (with its key), read-only, \
            and writes a config that plans to no changes: one select: all rule for the most common \
            values, id rules for the exceptions. With -f, only the attributes that config manages. \
            Header values are never written: each is a ${VARIABLE}, listed on stderr, that you set \
            from wherever you keep the secret. --out refuses to overwrite a file without --force. \
            --out DIR/ (or an existing directory) writes wabaform.yaml there, or files of at most \
            5 MiB (wabaform-001.yaml, ...) when the export is larger than wabaform reads from one \
            file; plan -f DIR reads them together. Exit 0 written, 1 on any error. See docs/export.md.
            """
    )

    @OptionGroup var shared: SharedOptions
    @OptionGroup var api: APIOptions

    @Option(
        help: ArgumentHelp(
            "Write the config to this file instead of stdout; to a directory (an existing one, or a path ending in /), as one or more files that plan -f DIR reads.",
            valueName: "file-or-dir"))
    var out: String?

    @Flag(help: "With --out, overwrite the file if it exists (in a directory: replace an earlier export's files).")
    var force = false

    @Option(
        help: ArgumentHelp(
            "Point the file's first line (for editors) at the JSON Schema here: a path relative to the file, or a URL (default: WABAFORM_SCHEMA_URL; unset: no address is written).",
            valueName: "path-or-url"))
    var schemaURL: String?

    func run() async throws {
        let shared = self.shared, api = self.api, out = self.out, force = self.force
        try api.refuseOverwritingInputs(out: out, shared: shared, defaultConfig: false)
        let schemaURL = self.schemaURL ?? ProcessInfo.processInfo.environment["WABAFORM_SCHEMA_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let schemaURL, !Exporter.canWriteSchemaURL(schemaURL) {
            StandardStreams.writeError("error: --schema-url must be a path or URL without spaces or control characters\n")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let directory = out.map(ExportDirectory.isDirectory) ?? false
        if let out, directory {
            if let refusal = ExportDirectory.refusal(out, force: force, inputs: api.inputs(shared: shared, defaultConfig: false)) {
                StandardStreams.writeError("error: \(refusal)\n")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        } else if let out, !force, FileManager.default.fileExists(atPath: out) {
            StandardStreams.writeError("error: \(out) already exists; pass --force to overwrite it\n")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let layout: Exporter.Layout = directory ? .directory() : .file
        let status: ExitStatus = try await api.withEnvironment { environment in
            let request = api.planRequest(shared: shared, environment: environment, targets: .everything)
            let progress = ProgressLine()
            let bounded = await RunDeadline.run(api.deadline.duration) {
                await ExportService.run(request, schemaURL: schemaURL, layout: layout) { progress.update($0) }
            }
            var report = bounded.value
            if bounded.expired {
                report.errors.removeAll { $0 == .cancelled }
                report.errors.append(.failed(RunDeadline.message(api.deadline, writes: false)))
            }
            progress.finish()
            return Self.present(
                report, out: out, force: force, directory: directory, inputs: api.inputs(shared: shared, defaultConfig: false))
        }
        throw ExitCode(status.rawValue)
    }

    static func present(
        _ report: ExportService.Report, out: String?, force: Bool, directory: Bool = false, inputs: [String] = []
    ) -> ExitStatus {
        StandardStreams.writeError(Diagnostic.renderText(report.diagnostics))
        for warning in report.warnings { StandardStreams.writeError("warning: \(warning)\n") }
        StandardStreams.writeThrottled(report.throttled)
        for error in report.errors { StandardStreams.writeError("error: \(error)\n") }
        guard !report.failed, let export = report.export else { return .failure }
        var written = out.map { " to \($0)" } ?? ""
        if let out, directory {
            do {
                try ExportDirectory.write(export.parts, to: out, force: force, inputs: inputs)
            } catch {
                StandardStreams.writeError("error: cannot write \(out): \(error)\n")
                return .failure
            }
            if export.parts.count > 1 {
                written += " (\(export.parts.count) files: \(export.parts[0].name) to \(export.parts[export.parts.count - 1].name))"
            } else {
                written = " to " + (out.hasSuffix("/") ? out : out + "/") + export.parts[0].name
            }
        } else if let out {
            do {
                if !force, FileManager.default.fileExists(atPath: out) { throw OutputFile.Failure(description: "exists") }
                // No secrets inside (header values are ${VARIABLES}): a new file is 0644 less the umask.
                let mask = umask(0)
                umask(mask)
                try OutputFile.write(Data(export.text.utf8), to: out, newFileMode: 0o644 & ~mask)
            } catch {
                let reason =
                    !force && FileManager.default.fileExists(atPath: out)
                    ? "it already exists; pass --force to overwrite it" : "\(error)"
                StandardStreams.writeError("error: cannot write \(out): \(reason)\n")
                return .failure
            }
        } else {
            StandardStreams.write(export.text)
        }
        let model = export.model
        if !model.variables.isEmpty {
            var text =
                "Webhook header values are written as ${VARIABLES}. Before plan or apply, set each one to the value\n"
                + "that header has today, from wherever you keep it (wabaform never reveals a header value):\n"
            let width = model.variables.map(\.name.count).max() ?? 0
            for variable in model.variables {
                text +=
                    "  " + variable.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + variable.usage + "\n"
            }
            StandardStreams.writeError(text)
        }
        let channels = model.channelCount == 1 ? "1 channel" : "\(model.channelCount) channels"
        StandardStreams.writeError(
            "exported partner \(model.partner.id): \(channels), \(model.rules.count) rules, "
                + (model.wabas.isEmpty ? "" : "\(model.wabas.count) WABA rule\(model.wabas.count == 1 ? "" : "s"), ")
                + "\(export.lineCount) lines" + written + "\n")
        return .success
    }
}
