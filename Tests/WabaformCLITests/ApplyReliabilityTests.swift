import Foundation
import PartnerSandbox
import Testing

/// The process half: a killed `wabaform apply` is rerun by the binary. The in-process half
/// (failures under 5xx reported exactly) is `Tests/WabaformCoreTests/Services/ApplyReliabilityTests.swift`.
@Suite struct ApplyReliabilityTests {
    /// SIGKILL wabaform at a random point of an apply (seeded per trial: after 1 to 45 of
    /// about 80 writes have landed); running it again converges, and no local storage
    /// change was made twice. CI runs 6 of the 20 seeded trials (kill points spread over the
    /// writes); `WABAFORM_SOAK=1` runs all 20.
    @Test(arguments: ProcessInfo.processInfo.environment["WABAFORM_SOAK"] == "1" ? Array(1...20) : [1, 4, 8, 11, 15, 19])
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
