import ArgumentParser
import Foundation
import Logging
import PartnerAPIRules
import PartnerSandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the sandbox: an emulator of the Partner and Messaging APIs over HTTP.",
        discussion: """
            Serves both API path families on one port until SIGINT or SIGTERM. On start it prints \
            the shell lines that point wabaform at it (WABAFORM_API_URL, WABAFORM_MESSAGING_URL, \
            WABAFORM_API_KEY, WABAFORM_PARTNER_ID, WABAFORM_CHANNEL_KEYS_FILE), one per line, so a \
            script can eval them. An existing state file is loaded as it is; --seed and --channels \
            apply only to a new one. See docs/sandbox.md.
            """
    )

    @Option(help: "Address to bind. Anything but loopback exposes the sandbox's keys to the network.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (0 picks a free port).")
    var port = 8360

    @Option(help: "State file, created from the seed when missing.")
    var state = ".wabaform/sandbox.json"

    @Option(help: "Seed file (YAML) for a new state; default: the built-in demo seed.")
    var seed: String?

    @Option(help: "Add a deterministic synthetic fleet of N channels to a new state.")
    var channels = 0

    @Option(help: "Where to write the {channel_id: key} file (default: beside the state file).")
    var keysFile: String?

    @Option(help: "Latency added to every API request, in milliseconds.")
    var latency = 0

    @Option(help: "Random extra latency up to this many milliseconds.")
    var jitter = 0

    @Option(help: "Share of API requests answered 503 (0 to 1).")
    var failRate = 0.0

    @Option(help: "Share of API requests answered 429 with Retry-After (0 to 1).")
    var throttleRate = 0.0

    @Option(help: "Share of API requests whose connection is closed without an answer (0 to 1); half before handling, half after.")
    var dropRate = 0.0

    @Option(help: "Retry-After seconds sent with an injected 429.")
    var retryAfter = 1

    @Option(
        help: ArgumentHelp(
            "A real rate limit; repeatable. [SCOPE=]N/WINDOW: at most N API requests in any WINDOW (e.g. 5/30s, channel=20/1s), per SCOPE: host (each API; the default), partner (each Partner API credential) or channel (each channel key); refused with 429 and Retry-After on the Partner API, the 400 usage-limit answer on the Messaging API. A bare N: N requests per second for all API requests, 429 (0 = none).",
            valueName: "limit"))
    var rateLimit: [String] = []

    @Option(
        help:
            "An adversarial API: every API request gets a broken answer of this kind (\(HostileMode.allCases.map(\.rawValue).joined(separator: ", "))). See docs/sandbox.md."
    )
    var hostile: HostileMode?

    @Option(help: "Port on 127.0.0.2 that --hostile redirect sends clients to (0 = the sandbox's own port).")
    var redirectPort = 0

    @Option(
        name: .customLong("fail-channel"),
        help: "Answer 503 to every request about this channel (its key, or its id in a path); repeatable.")
    var failChannels: [String] = []

    @Option(
        name: .customLong("variant"),
        help: "Answer in an alternative shape real accounts use; repeatable (\(SandboxVariant.names)). See docs/sandbox.md.")
    var variants: [SandboxVariant] = []

    @Option(
        help: ArgumentHelp(
            "Apply a POST /waba_webhook this many seconds after answering it (0 to 3600), as the real API applies it asynchronously; reads give the old value until then.",
            valueName: "seconds"))
    var wabaWebhookDelay = 0.0

    @Option(help: "Seed of the fault generator, for reproducible runs.")
    var faultSeed: UInt64 = 360

    @Option(help: "Lifetime of bearer tokens from /token, in seconds.")
    var tokenTTL = 86_400

    @Flag(help: "Print the built-in demo seed and exit.")
    var printDemoSeed = false

    func validate() throws {
        try NumericFlag.check("--port", port, in: 0...65_535, unit: "a TCP port")
        try NumericFlag.check("--redirect-port", redirectPort, in: 0...65_535, unit: "a TCP port")
        try NumericFlag.check("--channels", channels, in: 0...1_000_000, unit: "channels")
        try NumericFlag.check("--latency", latency, in: 0...600_000, unit: "milliseconds")
        try NumericFlag.check("--jitter", jitter, in: 0...600_000, unit: "milliseconds")
        try NumericFlag.check("--retry-after", retryAfter, in: 0...86_400, unit: "seconds")
        try NumericFlag.check("--token-ttl", tokenTTL, in: 1...31_536_000, unit: "seconds")
        try NumericFlag.check("--waba-webhook-delay", wabaWebhookDelay, in: 0...3600, unit: "seconds")
        for (flag, rate) in [("--fail-rate", failRate), ("--throttle-rate", throttleRate), ("--drop-rate", dropRate)] {
            try NumericFlag.check(flag, rate, in: 0...1, unit: "a share")
        }
        _ = try rateLimits()
    }

    /// `--rate-limit`: a bare number is the former flag (requests per second for all API
    /// requests, a token bucket); the rest are `RateLimitRule`s.
    func rateLimits() throws -> (perSecond: Double, rules: [RateLimitRule]) {
        var perSecond: Double?
        var rules: [RateLimitRule] = []
        for text in rateLimit {
            if let number = Double(text) {
                guard perSecond == nil else { throw ValidationError("--rate-limit: give at most one bare number of requests per second") }
                if number != 0 {
                    try NumericFlag.check("--rate-limit", number, in: 0.01...1_000_000, unit: "requests per second", zeroAllowed: true)
                }
                perSecond = number
                continue
            }
            switch RateLimitRule.parse(text) {
            case .success(let rule): rules.append(rule)
            case .failure(let error): throw ValidationError("--rate-limit \(TerminalText.escaped(String(text.prefix(40)))): \(error)")
            }
        }
        return (perSecond ?? 0, rules)
    }

    func run() async throws {
        if printDemoSeed {
            StandardStreams.write(SandboxSeed.demoYAML + "\n")
            return
        }
        let faults = FaultSettings(
            latencyMilliseconds: latency, jitterMilliseconds: jitter, failRate: failRate, throttleRate: throttleRate,
            dropRate: dropRate, retryAfterSeconds: retryAfter, seed: faultSeed, rateLimit: try rateLimits().perSecond,
            hostile: hostile, redirectPort: redirectPort, failChannels: Set(failChannels), rateLimits: try rateLimits().rules)
        if let problem = faults.problem { throw ValidationError(problem) }
        guard channels >= 0 else { throw ValidationError("--channels must not be negative") }
        guard tokenTTL > 0 else { throw ValidationError("--token-ttl must be positive") }
        let stateExists = FileManager.default.fileExists(atPath: state)
        if stateExists, seed != nil || channels > 0 {
            StandardStreams.writeError(
                "warning: \(state) exists; --seed and --channels apply only to a new state file (delete it to reseed)\n")
        }
        let loadedSeed: SandboxSeed?
        do { loadedSeed = try seed.map(SandboxSeed.load(path:)) } catch { throw CLIFailure("\(error)") }
        // Absolute paths, so the printed export lines work from any directory.
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let statePath = URL(fileURLWithPath: state, relativeTo: cwd).standardizedFileURL.path
        let keysPath = keysFile.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path }
        var configuration = SandboxConfiguration(
            host: host, port: port, statePath: statePath, keysFilePath: keysPath, seed: loadedSeed, fleet: channels,
            faults: faults, tokenLifetime: .seconds(tokenTTL), variants: Set(variants))
        configuration.wabaWebhookDelay = .milliseconds(Int64((wabaWebhookDelay * 1000).rounded()))
        var logger = Logger(label: "wabaform.sandbox")
        logger.logLevel = .notice
        do {
            try await Sandbox.run(configuration, logger: logger) { running in
                StandardStreams.write(running.exportLines.joined(separator: "\n") + "\n")
                StandardStreams.writeError("sandbox serving on \(running.baseURL) (state: \(state)); stop with Ctrl-C\n")
            }
        } catch {
            throw CLIFailure("sandbox: \(error)")
        }
    }
}

extension HostileMode: ExpressibleByArgument {}

extension SandboxVariant: ExpressibleByArgument {}
