import ArgumentParser
import Foundation
import Logging
import PartnerSandbox
import WabaformCore

/// Flags of the commands that talk to the APIs (product spec, section 2).
struct APIOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Partner API base URL (default: WABAFORM_API_URL, else https://hub.360dialog.io/api/v2).", valueName: "url"))
    var apiURL: String?

    @Option(help: ArgumentHelp("Messaging API base URL (default: WABAFORM_MESSAGING_URL, else https://waba-v2.360dialog.io).", valueName: "url"))
    var messagingURL: String?

    @Option(help: ArgumentHelp("YAML or JSON file of {channel_id: key}, or a directory of files named by channel id (default: WABAFORM_CHANNEL_KEYS_FILE).", valueName: "path"))
    var channelKeys: String?

    @Option(help: ArgumentHelp("Program that prints {channel_id: key} for the JSON list of channel ids on its stdin; run once, without a shell (default: WABAFORM_CHANNEL_KEYS_COMMAND).", valueName: "command"))
    var channelKeysCommand: String?

    @Option(help: ArgumentHelp("Requests per second per API host; 0 = no limit (default: 10 for remote hosts, none on loopback).", valueName: "n"))
    var rateLimit: Double?

    @Option(help: ArgumentHelp("Seconds to wait for each request.", valueName: "seconds"))
    var timeout: Double = 30

    @Flag(help: "Run against the embedded sandbox (state in .wabaform/sandbox.json), with its credentials.")
    var sandbox = false

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let rateLimit, rateLimit < 0 { throw ValidationError("--rate-limit must not be negative") }
    }

    func connection(shared: SharedOptions, environment: [String: String], logger: Logger) -> ConnectionSettings {
        ConnectionSettings(
            apiURL: apiURL, messagingURL: messagingURL, channelKeysFile: channelKeys, parallelism: shared.parallelism,
            rateLimit: rateLimit, timeout: .milliseconds(Int(timeout * 1000)), environment: environment, logger: logger,
            channelKeysCommand: channelKeysCommand, helperOutput: { StandardStreams.writeError($0) })
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
        let configuration = SandboxConfiguration(statePath: directory + "/sandbox.json")
        let channelKeys = self.channelKeys
        return try await Sandbox.withRunning(configuration) { running in
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
        var logger = Logger(label: "wabaform") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .debug : .error
        return logger
    }
}
