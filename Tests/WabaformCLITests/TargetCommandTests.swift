import Foundation
import PartnerSandbox
import Testing

/// `--target ADDRESS` narrows what is read, not just what is shown, and a saved plan keeps
/// its targets.
@Suite struct TargetCommandTests {
    static let config = """
        version: 1
        partner: { id: demoPA }
        channels:
          - select: all
            webhook: { url: "https://new-hooks.example.com/wa/{channel_id}" }
        """

    @Test func aTargetedPlanOnTenThousandChannelsMakesAHandfulOfRequests() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 10_000)) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let env = environment(for: sandbox)
            let fleet = await sandbox.store.state.channels.values.filter { $0.id.hasPrefix("fleet") && $0.keyPublished != false }
                .map(\.id).sorted()
            try #require(fleet.count >= 10_000 - 1)
            let (first, second) = (fleet[1_234], fleet[5_678])

            sandbox.stats.reset()
            let plan = try await CLI.runAsync(
                ["plan", "--target", "channel.\(first)", "--detailed-exitcode"], in: directory, environment: env)
            #expect(plan.exitCode == 2, "\(plan.stderr)")
            #expect(plan.stdout.contains("channel \(first) "))
            #expect(plan.stdout.contains("Plan: ") && !plan.stdout.contains(second))
            #expect(plan.stderr.contains("warning: --target channel.\(first): only these addresses are read and planned"))
            let counts = requestCounts(sandbox)
            let total = counts.values.reduce(0, +)
            #expect(total <= 5, "\(counts)")
            #expect(counts["GET /api/v2/partners/{partner_id}/channels 200"] == 1, "one list request, filtered by id: \(counts)")

            // apply --target writes that channel only, and a targeted plan is then empty.
            sandbox.stats.reset()
            let apply = try await CLI.runAsync(
                ["apply", "--target", "channel.\(first)", "--auto-approve"], in: directory, environment: env)
            #expect(apply.exitCode == 0, "\(apply.stderr)")
            #expect(writes(sandbox).values.reduce(0, +) == 1, "\(writes(sandbox))")
            #expect(requestCounts(sandbox).values.reduce(0, +) <= 8, "\(requestCounts(sandbox))")
            let after = try await CLI.runAsync(
                ["plan", "--target", "channel.\(first)", "--detailed-exitcode"], in: directory, environment: env)
            #expect(after.exitCode == 0, "\(after.stdout)\(after.stderr)")

            // A saved plan records its targets; apply PLANFILE keeps them.
            let planFile = directory + "/plan.json"
            let saved = try await CLI.runAsync(
                ["plan", "--target", "channel.\(second).webhook", "--out", planFile], in: directory, environment: env)
            #expect(saved.exitCode == 0, "\(saved.stderr)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planFile))) as? [String: Any])
            #expect(object["targets"] as? [String] == ["channel.\(second).webhook"])
            sandbox.stats.reset()
            let applied = try await CLI.runAsync(["apply", planFile], in: directory, environment: env)
            #expect(applied.exitCode == 0, "\(applied.stderr)")
            #expect(writes(sandbox).values.reduce(0, +) == 1, "\(writes(sandbox))")
            #expect(
                requestCounts(sandbox)["GET /api/v2/partners/{partner_id}/channels 200"] == 1, "the saved targets narrow the read again")
            let other = try await CLI.runAsync(["apply", planFile, "--target", "channel.*"], in: directory, environment: env)
            #expect(other.exitCode == 1)
            #expect(other.stderr.contains("--target cannot change the targets of a saved plan"))
        }
    }

    @Test func targetsAreCheckedAndAnUnknownIdIsAnError() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let env = environment(for: sandbox)
            let bad = try await CLI.runAsync(["plan", "--target", "chanel.acme01CH"], in: directory, environment: env)
            #expect(bad.exitCode == 1)
            #expect(bad.stderr.contains("\"chanel.acme01CH\" is not an address: addresses start with partner, channel or waba"))
            let missing = try await CLI.runAsync(["drift", "--target", "channel.nosuchCH"], in: directory, environment: env)
            #expect(missing.exitCode == 1)
            #expect(missing.stderr.contains("--target: partner demoPA has no channel with id nosuchCH"))
            // A glob reads the whole list, then plans only what it matches.
            let glob = try await CLI.runAsync(
                ["plan", "--target", "channel.acme0*.webhook", "--format", "json"], in: directory, environment: env)
            #expect(glob.exitCode == 0, "\(glob.stderr)")
            let addresses =
                (try JSONSerialization.jsonObject(with: Data(glob.stdout.utf8)) as? [String: Any])
                .flatMap { $0["changes"] as? [[String: Any]] }?.compactMap { $0["address"] as? String } ?? []
            #expect(
                !addresses.isEmpty && addresses.allSatisfy { $0.hasPrefix("channel.acme0") && $0.hasSuffix(".webhook") }, "\(addresses)")
        }
    }
}
