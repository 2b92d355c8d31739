import Foundation
import PartnerSandbox
import Testing

/// Progress of long reads goes to stderr only: without a terminal, a line every interval
/// (`WABAFORM_PROGRESS_INTERVAL`, 10 s unless set), never on stdout.
@Suite struct ProgressTests {
    static let config = """
        version: 1
        partner: { id: demoPA }
        channels:
          - select: all
            webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
        """

    @Test func withoutATerminalProgressLinesGoToStderrAtTheInterval() async throws {
        let directory = try CLI.temporaryDirectory()
        try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        // 200 webhook reads at 10 ms, two at a time: about a second of reading.
        let faults = FaultSettings(latencyMilliseconds: 10)
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 200, faults: faults)) { sandbox in
            var env = environment(for: sandbox)
            env["WABAFORM_PROGRESS_INTERVAL"] = "0.2"
            let result = try await CLI.runAsync(["plan", "--parallelism", "2"], in: directory, environment: env)
            #expect(result.exitCode == 0, "\(result.stderr)")
            let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("reading ") }
            #expect(lines.count >= 2, "\(result.stderr)")
            #expect(lines.contains { $0.contains("reading webhooks ") && $0.contains("/s, about ") && $0.hasSuffix(" left") }, "\(lines)")
            #expect(!result.stderr.contains("\u{1B}["), "no terminal control without a terminal")
            #expect(!result.stdout.contains("reading "), "never on stdout")

            env["WABAFORM_PROGRESS_INTERVAL"] = "0"
            let quiet = try await CLI.runAsync(["plan", "--parallelism", "2"], in: directory, environment: env)
            #expect(quiet.exitCode == 0)
            #expect(!quiet.stderr.contains("reading "), "0 turns progress off")
            #expect(quiet.stdout == result.stdout)
        }
    }

    @Test func aShortRunWithTheDefaultIntervalPrintsNoProgress() async throws {
        let directory = try CLI.temporaryDirectory()
        try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 20)) { sandbox in
            let result = try await CLI.runAsync(["plan"], in: directory, environment: environment(for: sandbox))
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("reading "))
        }
    }
}
