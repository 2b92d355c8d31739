import Foundation
import PartnerSandbox
import Testing

/// The benchmark's references (benchmarks/run.sh, docs/performance.md) send exactly the
/// requests `plan` sends for a config that manages every channel's webhook: otherwise the
/// ratios the benchmark prints would compare different work.
@Suite("Benchmark references: the same reads as plan")
struct BenchmarkReferenceTests {
    enum Reference: String, CaseIterable, CustomTestStringConvertible {
        case pythonBaseline = "benchmarks/baseline.py"
        case swiftNIO = "wabaform-bench-nio"

        var testDescription: String { rawValue }

        /// The program and its arguments, at parallelism `width`.
        func command(width: Int) throws -> (program: String, arguments: [String]) {
            switch self {
            case .pythonBaseline:
                return ("/usr/bin/env", ["python3", CLI.packageRoot.appendingPathComponent(rawValue).path, "\(width)"])
            case .swiftNIO:
                // Built beside the wabaform executable (a dependency of this test target).
                let binary = try CLI.executable().deletingLastPathComponent().appendingPathComponent(rawValue)
                return (binary.path, ["\(width)"])
            }
        }
    }

    @Test("a reference reads the partner, every channel page and every keyed webhook, once", arguments: Reference.allCases)
    func sameReadsAsPlan(reference: Reference) async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 1_500)) { sandbox in
            // 1,512 channels: 2 pages of 1,000, as `PlanCommandTests.requestEconomy` counts plan's reads.
            let expected = fullReadCounts(await sandbox.store.state.channels.values, pages: 2)
            let (program, arguments) = try reference.command(width: 8)
            let result = try await CLI.runProgram(
                program, arguments, in: try CLI.temporaryDirectory(), environment: environment(for: sandbox))
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(requestCounts(sandbox) == expected)
            let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect(summary?["requests"] as? Int == expected.values.reduce(0, +), "\(result.stdout)")
        }
    }

    @Test("a reference that cannot reach the API fails, never reports a run")
    func unreachable() async throws {
        for reference in Reference.allCases {
            let (program, arguments) = try reference.command(width: 2)
            let keys = try CLI.temporaryDirectory() + "/keys.json"
            try #"{"a": "k"}"#.write(toFile: keys, atomically: true, encoding: .utf8)
            let result = try await CLI.runProgram(
                program, arguments, in: try CLI.temporaryDirectory(),
                environment: [
                    "WABAFORM_API_URL": "http://127.0.0.1:1/api/v2", "WABAFORM_MESSAGING_URL": "http://127.0.0.1:1",
                    "WABAFORM_API_KEY": "x", "WABAFORM_PARTNER_ID": "p", "WABAFORM_CHANNEL_KEYS_FILE": keys,
                ])
            #expect(result.exitCode != 0, "\(reference.rawValue)")
        }
    }
}

/// benchmarks/probe.py, the sandbox's own time per request that run.sh prints under its table.
@Suite("Benchmark probe: the sandbox's time per request")
struct BenchmarkProbeTests {
    func probe(_ count: String, environment: [String: String]) async throws -> CLI.Result {
        try await CLI.runProgram(
            "/usr/bin/env", ["python3", CLI.packageRoot.appendingPathComponent("benchmarks/probe.py").path, count],
            in: try CLI.temporaryDirectory(), environment: environment)
    }

    @Test("the probe sends its reads one at a time and gives times no shorter than the sandbox's latency")
    func measuresTheLatency() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 20, faults: FaultSettings(latencyMilliseconds: 30))) { sandbox in
            let result = try await probe("7", environment: environment(for: sandbox))
            #expect(result.exitCode == 0, "\(result.stderr)")
            let webhookReads = sandbox.stats.snapshot().filter { $0.key.route == "/v1/configs/webhook" }.map(\.count).reduce(0, +)
            #expect(webhookReads == 7)
            let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect(summary?["requests"] as? Int == 7, "\(result.stdout)")
            // The sandbox sleeps its latency before answering: no read can take less.
            for field in ["min_ms", "median_ms", "p90_ms"] {
                let value = try #require(summary?[field] as? Double, "\(result.stdout)")
                #expect(value >= 30, "\(field): \(value)")
            }
        }
    }

    @Test("a probe that cannot reach the sandbox fails with a message")
    func unreachable() async throws {
        let keys = try CLI.temporaryDirectory() + "/keys.json"
        try #"{"a": "k"}"#.write(toFile: keys, atomically: true, encoding: .utf8)
        let result = try await probe(
            "3", environment: ["WABAFORM_MESSAGING_URL": "http://127.0.0.1:1", "WABAFORM_CHANNEL_KEYS_FILE": keys])
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasPrefix("probe.py: "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a count that is not a whole number of at least 1 is refused before any request", arguments: ["0", "-3", "x"])
    func badCount(count: String) async throws {
        let result = try await probe(count, environment: [:])
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasPrefix("probe.py: COUNT must be a whole number of at least 1"), "\(result.stderr)")
    }
}
