import ArgumentParser
import Foundation
import Logging
import PartnerSandbox
import WabaformCore

/// Flags of the commands that talk to the APIs (product spec, section 2).
struct APIOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Partner API base URL (default: WABAFORM_API_URL, else https://hub.360dialog.io/api/v2).", valueName: "url"))
    var apiURL: String?

    @Option(
        help: ArgumentHelp("Messaging API base URL (default: WABAFORM_MESSAGING_URL, else https://waba-v2.360dialog.io).", valueName: "url")
    )
    var messagingURL: String?

    @Option(
        help: ArgumentHelp(
            "YAML or JSON file of {channel_id: key}, or a directory of files named by channel id (default: WABAFORM_CHANNEL_KEYS_FILE).",
            valueName: "path"))
    var channelKeys: String?

    @Option(
        help: ArgumentHelp(
            "Program that prints {channel_id: key} for the JSON list of channel ids on its stdin; run once, without a shell (default: WABAFORM_CHANNEL_KEYS_COMMAND).",
            valueName: "command"))
    var channelKeysCommand: String?

    @Option(
        help: ArgumentHelp(
            "Requests per second per API host, a ceiling: below it the rate is learned per host and per credential from 429s and usage-limit 400s; 0 = no limit (default: 50 for remote hosts, none on loopback).",
            valueName: "n"))
    var rateLimit: Double?

    @Option(help: "Requests in flight at once (1 to 256).")
    var parallelism = 8

    @Option(
        help: ArgumentHelp(
            "Seconds each request may take as a whole, connecting to the last byte of the answer (0.1 to 3600).", valueName: "seconds"))
    var timeout: Double = 30

    @Option(
        help: ArgumentHelp(
            "Time the whole run may take, e.g. 90s, 30m, 2h (1s to 24h); then it stops with exit 1 and says what was done.",
            valueName: "duration"))
    var deadline = RunDuration.defaultDeadline

    @Flag(help: "Run against the embedded sandbox (state in .wabaform/sandbox.json), with its credentials.")
    var sandbox = false

    func validate() throws {
        guard parallelism >= 1, parallelism <= 256 else { throw ValidationError("--parallelism must be between 1 and 256") }
        try NumericFlag.check("--timeout", timeout, in: 0.1...3600, unit: "seconds")
        if let rateLimit, rateLimit != 0 {
            try NumericFlag.check("--rate-limit", rateLimit, in: 0.01...10_000, unit: "requests per second", zeroAllowed: true)
        }
        guard deadline.duration >= .seconds(1), deadline.duration <= .seconds(86_400) else {
            throw ValidationError("--deadline must be between 1s and 24h, got \(deadline)")
        }
    }

    /// Refuses an `--out` that names an input of the run (exit 1, before any request).
    /// `defaultConfig`: whether the run reads `wabaform.yaml` when no -f is given.
    func refuseOverwritingInputs(out: String?, shared: SharedOptions, defaultConfig: Bool = true) throws {
        guard let out else { return }
        let directory = FileManager.default.currentDirectoryPath
        if let refusal = OutputFile.refusal(
            out: out, inputs: inputs(shared: shared, defaultConfig: defaultConfig), workingDirectory: directory)
        {
            throw ValidationError(refusal)
        }
    }

    /// This run's input files (`OutputFile.inputs`): the config files and the channel keys file.
    func inputs(shared: SharedOptions, defaultConfig: Bool = true) -> [String] {
        let keys = channelKeys ?? ProcessInfo.processInfo.environment["WABAFORM_CHANNEL_KEYS_FILE"]
        return OutputFile.inputs(
            paths: shared.files, defaultConfig: defaultConfig, channelKeysFile: keys,
            workingDirectory: FileManager.default.currentDirectoryPath)
    }

    func connection(shared: SharedOptions, environment: [String: String], logger: Logger) -> ConnectionSettings {
        var settings = ConnectionSettings(apiURL: apiURL, messagingURL: messagingURL, environment: environment)
        settings.channelKeysFile = channelKeys
        settings.channelKeysCommand = channelKeysCommand
        settings.helperOutput = { StandardStreams.writeError($0) }
        settings.parallelism = parallelism
        settings.rateLimit = rateLimit
        settings.timeout = .milliseconds(Int(timeout * 1000))
        settings.logger = logger
        return settings
    }

    /// What plan, apply and drift read and plan: the config files, this run's connection, the targets.
    func planRequest(shared: SharedOptions, environment: [String: String], targets: PlanTargets) -> PlanService.Request {
        var request = PlanService.Request(
            paths: shared.files, workingDirectory: FileManager.default.currentDirectoryPath,
            connection: connection(shared: shared, environment: environment, logger: CLILogging.logger(verbose: shared.verbose)))
        request.strict = shared.strict
        request.targets = targets
        return request
    }

    /// Runs a read-only service (plan, drift) with a progress line, stopped at `--deadline`;
    /// then its report carries one error that says so, in place of "cancelled".
    func readWithinDeadline(
        _ service: @escaping @Sendable (_ progress: @escaping @Sendable (LiveStateReader.Progress) -> Void) async -> PlanService.Report
    ) async -> PlanService.Report {
        let progress = ProgressLine()
        let bounded = await RunDeadline.run(deadline.duration) { await service { progress.update($0) } }
        var report = bounded.value
        if bounded.expired {
            report.errors.removeAll { $0 == .cancelled }
            report.errors.append(.failed(RunDeadline.message(deadline, writes: false)))
        }
        progress.finish()
        return report
    }

    /// Runs `body` with the environment to use: the process's own, or — with `--sandbox` — the
    /// same with the embedded sandbox's endpoints and credentials, while it serves.
    func withEnvironment<T: Sendable>(_ body: @Sendable ([String: String]) async throws -> T) async throws -> T {
        let base = ProcessInfo.processInfo.environment
        guard sandbox else { return try await body(base) }
        if apiURL != nil || messagingURL != nil {
            throw ValidationError("--sandbox supplies its own endpoints; drop --api-url and --messaging-url")
        }
        let directory = FileManager.default.currentDirectoryPath + "/.wabaform"
        var configuration = SandboxConfiguration(statePath: directory + "/sandbox.json")
        // The embedded sandbox answers in the shapes WABAFORM_SANDBOX_VARIANTS names (docs/sandbox.md).
        do { configuration.variants = try SandboxVariant.list(base["WABAFORM_SANDBOX_VARIANTS"] ?? "") } catch {
            throw ValidationError("WABAFORM_SANDBOX_VARIANTS: \(error)")
        }
        let channelKeys = self.channelKeys
        do {
            return try await Self.withSandbox(configuration, base: base, channelKeys: channelKeys, body)
        } catch let error as SandboxStore.StoreError {
            // A busy or unreadable state file: nothing was read or written.
            throw CLIFailure("--sandbox: \(error)")
        }
    }

    private static func withSandbox<T: Sendable>(
        _ configuration: SandboxConfiguration, base: [String: String], channelKeys: String?,
        _ body: @Sendable ([String: String]) async throws -> T
    ) async throws -> T {
        try await Sandbox.withRunning(configuration) { running in
            var environment = base
            environment["WABAFORM_API_URL"] = running.apiURL
            environment["WABAFORM_MESSAGING_URL"] = running.messagingURL
            environment["WABAFORM_API_KEY"] = running.partnerKey
            environment["WABAFORM_PARTNER_ID"] = running.partnerID
            environment["WABAFORM_USERNAME"] = nil
            environment["WABAFORM_PASSWORD"] = nil
            if let keys = running.keysFilePath, channelKeys == nil { environment["WABAFORM_CHANNEL_KEYS_FILE"] = keys }
            return try await body(environment)
        }
    }
}

/// swift-log to stderr: debug with -v, otherwise errors only.
enum CLILogging {
    static func logger(verbose: Bool) -> Logger {
        var logger = Logger(label: "wabaform") { RedactingLogHandler(label: $0) }
        logger.logLevel = verbose ? .debug : .error
        let pool = WabaformMain.jobsOnEventLoops.load(ordering: .relaxed) ? "SwiftNIO's event loops" : "Swift's default pool"
        logger.debug("Swift Concurrency jobs run on \(pool)")
        if WabaformMain.mmapThresholdFixed.load(ordering: .relaxed) {
            logger.debug("allocations of 256 KiB and more are mapped on their own")
        }
        return logger
    }
}
