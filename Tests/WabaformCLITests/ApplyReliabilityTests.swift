import Foundation
import PartnerSandbox
import Testing

@Suite struct ApplyReliabilityTests {
    static let quickstart = PlanCommandTests.quickstart

    /// Under 30% 5xx, apply either converges or says exactly which changes failed (every
    /// change it calls applied really is), and running it again converges.
    @Test(arguments: [UInt64(1), 2, 3])
    func failuresAreReportedExactlyAndARerunConverges(seed: UInt64) async throws {
        let faults = FaultSettings(failRate: 0.3, retryAfterSeconds: 0, seed: seed)
        try await Sandbox.withRunning(try sandboxConfiguration(faults: faults)) { sandbox in
            let env = environment(for: sandbox)
            let args = ["apply", "--auto-approve", "--allow-disruptive", "--format", "json"] + Self.quickstart
            let first = try await CLI.runAsync(args, environment: env)
            #expect(first.exitCode == 0 || first.exitCode == 3, "\(first.stderr)")
            let ledger = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
            let entries = try #require(ledger["changes"] as? [[String: Any]])
            #expect(entries.count == 12)
            let failed = Set(entries.filter { $0["outcome"] as? String != "applied" }.compactMap { $0["address"] as? String })
            #expect((first.exitCode == 3) == !failed.isEmpty)
            // What still needs changing is exactly a subset of what was reported as failed.
            let plan = try await CLI.runAsync(["plan", "--format", "json"] + Self.quickstart, environment: env)
            let pending = Set(
                ((try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])?["changes"] as? [[String: Any]] ?? [])
                    .compactMap { $0["address"] as? String })
            #expect(pending.isSubset(of: failed), "reported applied but still pending: \(pending.subtracting(failed))")
            // Reruns converge.
            var code = first.exitCode
            for _ in 0..<6 where code != 0 {
                code = try await CLI.runAsync(args, environment: env).exitCode
            }
            #expect(code == 0)
            let after = try await CLI.runAsync(["plan", "--detailed-exitcode"] + Self.quickstart, environment: env)
            #expect(after.exitCode == 0, "\(after.stdout)")
        }
    }

    /// SIGKILL wabaform at a random point of an apply (seeded per trial: after 1 to 45 of
    /// about 80 writes have landed); running it again converges, and no local storage
    /// change was made twice.
    @Test(arguments: 1...20)
    func sigkillMidApplyThenRerunConverges(trial: Int) async throws {
        let faults = FaultSettings(latencyMilliseconds: 5, jitterMilliseconds: 15, seed: UInt64(trial))
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 60, faults: faults)) { sandbox in
            let env = environment(for: sandbox)
            let directory = try CLI.temporaryDirectory()
            try """
            version: 1
            partner: { id: demoPA, webhook_url: "https://hooks.example.com/partner/\(trial)" }
            channels:
              - select: all
                webhook: { url: "https://trial\(trial).example.com/{channel_id}" }
              - select: { status: pending }
                local_storage: GB
              - select: { client.name: "Fleet Client 0002", status: ready }
                local_storage: DE
            """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let before = await sandbox.store.state
            // Seeded, so a trial's kill point is the same on every run.
            var generator = SplitMix64(seed: UInt64(trial) &* 7919)
            let killAfter = Int.random(in: 1...45, using: &generator)
            let args = ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change", "--parallelism", "4"]
            let process = try CLI.start(args, in: directory, environment: env)
            let deadline = ContinuousClock.now + .seconds(60)
            while writes(sandbox).values.reduce(0, +) < killAfter, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "it was still applying when killed after \(killAfter) writes")
            let rerun = try await CLI.runAsync(args, in: directory, environment: env)
            #expect(rerun.exitCode == 0, "\(rerun.stderr.suffix(2000))")
            let plan = try await CLI.runAsync(["plan", "--detailed-exitcode"], in: directory, environment: env)
            #expect(plan.exitCode == 0, "\(plan.stdout.prefix(2000))")
            let after = await sandbox.store.state
            for (id, call) in sandbox.stats.localStorageCalls() {
                let old = before.channels[id]?.localStorage, new = after.channels[id]?.localStorage
                let needed = old == new ? 0 : (old == nil || new == nil ? 1 : 2)
                #expect(call.redundant == 0 && call.effective == needed, "\(id): \(call) for \(old ?? "-") -> \(new ?? "-")")
            }
        }
    }
}
