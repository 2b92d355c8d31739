import Foundation
import Testing
import WabaformTestSupport

@Suite struct BasicsTests {
    @Test func versionAndHelp() throws {
        let version = try CLI.run(["--version"])
        #expect(version.exitCode == 0)
        #expect(version.stdout == "0.1.0-dev\n")
        let help = try CLI.run(["--help"])
        #expect(help.exitCode == 0)
        for command in ["validate", "sandbox"] {
            #expect(help.stdout.contains(command))
            let commandHelp = try CLI.run([command, "--help"])
            #expect(commandHelp.exitCode == 0, "\(command) --help")
            #expect(commandHelp.stdout.contains("USAGE: wabaform \(command)"))
        }
    }

    @Test(arguments: [["nope"], ["validate", "--format", "yaml"], ["sandbox", "--fail-rate", "2"], ["validate", "--parallelism", "0"]])
    func badUsageExitsOne(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.exitCode == 1, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
    }

    /// The executable runs Swift Concurrency's jobs on SwiftNIO's event loops and fixes glibc's
    /// mmap threshold (main.swift): if either failed, plans still work but cost more CPU or
    /// memory, so `-v` says what was set.
    @Test func jobsRunOnTheEventLoops() throws {
        let result = try CLI.run(["plan", "--sandbox", "-v", "-f", CLI.packageRoot.appendingPathComponent("examples/quickstart").path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Swift Concurrency jobs run on SwiftNIO's event loops"), "\(result.stderr)")
        #if canImport(Glibc)
            #expect(result.stderr.contains("allocations of 256 KiB and more are mapped on their own"), "\(result.stderr)")
        #endif
        // Each log line opens with the time in UTC, as `ISO8601DateFormatter` writes it.
        let logged = result.stderr.split(separator: "\n").filter { $0.contains(" debug wabaform : ") }
        #expect(logged.count >= 2)
        let stamped = try Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z debug wabaform : "#)
        for line in logged { #expect(try stamped.prefixMatch(in: line) != nil, "\(line)") }
    }

    @Test func demoSeedPrints() throws {
        let result = try CLI.run(["sandbox", "--print-demo-seed"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("id: demoPA"))
    }
}

@Suite struct SandboxProcessTests {
    /// The fault flags of `wabaform sandbox` reach the server it runs: one channel failing,
    /// an adversarial mode, and throttling, each seen by `wabaform plan` as a user would meet it.
    @Test(arguments: [
        (["--fail-channel", "acme02CH"], "channel.acme02CH.webhook: reading its live value failed after every retry", Int32(1)),
        (["--hostile", "error-200"], "Internal error (sandbox hostile mode)", 1),
        (["--hostile", "malformed-json"], "unusable answer from 127.0.0.1", 1),
        (["--throttle-rate", "0.3", "--retry-after", "0"], "note: the API throttled ", 0),
    ])
    func faultFlagsReachTheServer(flags: [String], expected: String, exitCode: Int32) async throws {
        let directory = try CLI.temporaryDirectory()
        let process = Process()
        process.executableURL = try CLI.executable()
        process.arguments = ["sandbox", "--port", "0", "--state", directory + "/state.json"] + flags
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let exports = SandboxExports.read(output.fileHandleForReading)
        #expect(exports["WABAFORM_API_URL"]?.hasPrefix("http://127.0.0.1:") == true, "\(exports)")
        let plan = try await CLI.runAsync(
            ["plan", "--timeout", "5"] + PlanCommandTests.quickstart, environment: exports.merging(Examples.environment) { $1 })
        #expect(plan.exitCode == exitCode, "\(plan.stderr)")
        #expect(plan.stderr.contains(expected), "\(plan.stderr)")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func sandboxShutsDownCleanlyOnSignal(signal: Int32) async throws {
        let directory = try CLI.temporaryDirectory()
        let process = Process()
        process.executableURL = try CLI.executable()
        process.arguments = ["sandbox", "--port", "0", "--state", directory + "/state.json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the export lines: it is serving.
        var text = ""
        while !text.contains("WABAFORM_CHANNEL_KEYS_FILE") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        #expect(text.contains("export WABAFORM_API_URL=http://127.0.0.1:"))
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "still running after the signal")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "clean exit, not killed by the signal")
    }
}
