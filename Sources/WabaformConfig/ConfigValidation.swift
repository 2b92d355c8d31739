/// The service behind `wabaform validate [-f PATH]... [--format text|json]`: offline,
/// valid (maybe with warnings) or not. The CLI prints `stdout` and `stderr` as they are and
/// exits with the status `ExitStatus` makes of it.
public enum ConfigValidation {

    /// Text: diagnostics and, when invalid, the summary (`invalid: 2 errors, 1 warning`)
    /// go to stderr; when valid, warnings go to stderr and the summary
    /// (`valid: 3 files, 12 rules`) to stdout. JSON: the diagnostics as a JSON array on
    /// stdout, nothing on stderr.
    ///
    /// With `strict`, warnings count as errors: files with warnings are invalid (exit 1), and
    /// the outcome is printed once, as `invalid: …` on stderr.
    public static func run(
        paths: [String], workingDirectory: String, environment: [String: String],
        format: DiagnosticFormat, strict: Bool = false
    ) -> ValidationOutcome {
        let result = ConfigLoader.load(paths: paths, workingDirectory: workingDirectory, environment: environment)
        return outcome(of: result, format: format, strict: strict)
    }

    public static func outcome(of result: ConfigLoadResult, format: DiagnosticFormat, strict: Bool = false) -> ValidationOutcome {
        let warnings = result.diagnostics.warningCount
        let valid = result.succeeded && !(strict && warnings > 0)
        switch format {
        case .json:
            return ValidationOutcome(stdout: Diagnostic.renderJSON(result.diagnostics), stderr: "", valid: valid)
        case .text:
            let rendered = Diagnostic.renderText(result.diagnostics)
            if valid, let config = result.config {
                var summary = "valid: \(count(config.sourceFiles.count, "file")), \(count(config.channelRules.count, "rule"))"
                if !config.wabaRules.isEmpty { summary += ", \(count(config.wabaRules.count, "WABA rule"))" }
                if warnings > 0 { summary += ", \(count(warnings, "warning"))" }
                return ValidationOutcome(stdout: summary + "\n", stderr: rendered, valid: valid)
            }
            var summary = "invalid: \(count(result.diagnostics.errorCount, "error"))"
            if warnings > 0 { summary += ", \(count(warnings, "warning"))" }
            if strict, warnings > 0 { summary += " (warnings are errors with --strict)" }
            return ValidationOutcome(stdout: "", stderr: rendered + summary + "\n", valid: valid)
        }
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}

/// What `wabaform validate` prints and how it exits.
public struct ValidationOutcome: Sendable, Hashable {
    public let stdout: String
    public let stderr: String
    /// Valid, maybe with warnings (without `--strict`).
    public let valid: Bool
}
