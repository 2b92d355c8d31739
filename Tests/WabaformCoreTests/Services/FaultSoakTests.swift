import Foundation
import PartnerSandbox
import Testing
@testable import WabaformCore

/// About 480 changes (the webhooks of 300 channels, the local storage of 250, some of them
/// region-to-region replaces) applied against a sandbox injecting 5xx, 429, dropped
/// connections (before and after handling) and latency jitter. Every run ends converged
/// (exit 0) or with an exact ledger (exit 3); reruns converge; nothing is lost; no local
/// storage call is duplicated. `WABAFORM_SOAK=1` runs more seeds (docs/reliability.md).
///
/// In-process: `ApplyService` and `PlanService` over HTTP, with the CLI's attempts per request
/// but millisecond waits between them (`ServiceHarness.quickRetries`), so the soak spends its
/// time on requests, not on backoff. The CLI's own exit 1/3 output is pinned by
/// `UnreadableChannelTests` and `ApplyReliabilityTests`.
@Suite(.serialized) struct FaultSoakTests {
    struct Combination: Sendable, CustomStringConvertible {
        var name: String
        var faults: FaultSettings
        var description: String { name }
    }

    static let combinations: [Combination] = {
        var list = [
            Combination(
                name: "5xx+429+drop+jitter",
                faults: FaultSettings(
                    latencyMilliseconds: 1, jitterMilliseconds: 10, failRate: 0.1, throttleRate: 0.05, dropRate: 0.1,
                    retryAfterSeconds: 0, seed: 11)),
            // About a quarter of all requests fail: with 5 attempts per request, one run in
            // five still meets a read that fails every attempt (skipped, exit 3).
            Combination(
                name: "heavy 5xx+drop",
                faults: FaultSettings(
                    failRate: 0.15, dropRate: 0.1, retryAfterSeconds: 0, seed: 12)),
        ]
        if ProcessInfo.processInfo.environment["WABAFORM_SOAK"] == "1" {
            // The first combination already has 429s, drops and jitter; this one weighs 429s.
            list.append(
                Combination(
                    name: "429+drop+jitter",
                    faults: FaultSettings(
                        jitterMilliseconds: 20, throttleRate: 0.2, dropRate: 0.1, retryAfterSeconds: 0, seed: 13)))
            for seed in UInt64(100)..<UInt64(110) {
                list.append(
                    Combination(
                        name: "soak seed \(seed)",
                        faults: FaultSettings(
                            latencyMilliseconds: 1, jitterMilliseconds: 15, failRate: 0.05 + Double(seed % 3) * 0.05,
                            throttleRate: 0.04 * Double(seed % 4), dropRate: 0.04 + Double(seed % 5) * 0.02, retryAfterSeconds: 0,
                            seed: seed)))
            }
        }
        return list
    }()

    static let fleet = 300

    /// Desired local storage per client number (25 channels each): nil = unmanaged.
    static func desiredRegion(client: Int) -> String?? {
        switch client {
        case 1...4: "GB"
        case 5...8: "DE"
        case 9, 10: .some(nil)
        default: nil
        }
    }

    static let config: String = {
        var lines = [
            "version: 1", "partner: { id: demoPA }", "channels:", "  - select: all",
            "    webhook: { url: \"https://soak.example.com/wa/{channel_id}\" }",
        ]
        for client in 1...10 {
            let region = desiredRegion(client: client)! ?? "off"
            lines.append("  - select: { client.name: \"Fleet Client \(String(format: "%04d", client))\" }")
            lines.append("    local_storage: \(region)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// The fleet client number of a channel; 0 for the demo seed's own channels.
    static func clientNumber(_ channelID: String) -> Int {
        guard channelID.hasPrefix("fleet"), let digits = Int(channelID.dropFirst("fleet".count).prefix(6)) else { return 0 }
        return (digits - 1) / 25 + 1
    }

    /// Addresses that still differ from the desired state, from the sandbox's own state.
    /// `ignoring`: addresses the plan cannot know (a channel whose key is not published).
    static func pending(_ state: SandboxState, ignoring: Set<String> = []) -> Set<String> {
        var pending: Set<String> = []
        for (id, channel) in state.channels {
            if channel.webhook != WebhookRecord(url: "https://soak.example.com/wa/\(id)") { pending.insert("channel.\(id).webhook") }
            if let region = desiredRegion(client: clientNumber(id)), channel.localStorage != region {
                pending.insert("channel.\(id).local_storage")
            }
        }
        return pending.subtracting(ignoring)
    }

    /// `plan` under faults: a read can fail every retry (exit 1); up to 5 tries.
    static func plan(_ request: PlanService.Request) async -> PlanService.Report {
        var report = await PlanService.run(request)
        for _ in 1..<5 where report.failed { report = await PlanService.run(request) }
        return report
    }

    /// Local storage calls the change needs: 0, 1 (enable or disable) or 2 (a replace).
    static func neededStorageCalls(from before: String?, to after: String??) -> Int {
        guard let after, before != after else { return 0 }
        return before == nil || after == nil ? 1 : 2
    }

    @Test(arguments: combinations)
    func applyUnderFaultsConvergesWithoutLossOrDuplication(_ combination: Combination) async throws {
        try await Sandbox.withRunning(SandboxConfiguration(fleet: Self.fleet, faults: combination.faults)) { sandbox in
            let path = try ServiceHarness.configFile(Self.config)
            // The keys a user has: acme04CH's key is not published.
            let unpublished = await Set(sandbox.store.state.channels.filter { $0.value.keyPublished == false }.map(\.key))
            let request = await ServiceHarness.request(
                sandbox, paths: [path], withoutKey: unpublished.contains, retryPolicy: ServiceHarness.quickRetries)
            let initial = await sandbox.store.state

            // The model of the desired state agrees with wabaform's own plan: the same changes,
            // apart from what the plan cannot know (acme04CH's key is not published).
            let firstPlan = await Self.plan(request)
            try #require(!firstPlan.failed, "plan failed: \(firstPlan.errors)")
            let planned = try #require(firstPlan.plan)
            let unknown = Set(planned.unknowns.map(\.address))
            #expect(unknown == ["channel.acme04CH.webhook"])
            let desiredChanges = Self.pending(initial, ignoring: unknown)
            #expect(Set(planned.changes.map(\.address)) == desiredChanges)
            let needed = Dictionary(
                uniqueKeysWithValues: initial.channels.map { id, channel in
                    (id, Self.neededStorageCalls(from: channel.localStorage, to: Self.desiredRegion(client: Self.clientNumber(id))))
                })
            #expect(desiredChanges.count >= 450, "about 500 changes: \(desiredChanges.count)")
            #expect(needed.values.contains(2), "some changes are region-to-region replaces")

            var runs = 0, failedReported = 0, stoppedBeforeWriting = 0
            var status = ExitStatus.failure
            while status != .success && runs < 12 {
                runs += 1
                let writesBefore = ServiceHarness.writes(sandbox)
                let report = await ServiceHarness.applyApproved(request)
                status = report.status
                if status == .failure {
                    // Reading the partner or the channel list failed after every retry, or
                    // the webhook reads tripped the breaker: the contract's "error" exit,
                    // allowed only if nothing was written and no ledger claims otherwise.
                    #expect(report.ledger == nil && !report.plan.errors.isEmpty, "\(report.plan.errors)")
                    #expect(ServiceHarness.writes(sandbox) == writesBefore, "exit 1 after writing")
                    stoppedBeforeWriting += 1
                    continue
                }
                try #require(status == .success || status == .partial, "run \(runs) exit \(status): \(report.blocked)")
                let failed = ServiceHarness.notApplied(report)
                failedReported += failed.count
                #expect((status == .partial) == !failed.isEmpty, "exit \(status) agrees with the ledger")
                // Exact ledger: whatever is still pending was reported failed or skipped (a
                // failed change may still have happened: its answer was lost, or it landed
                // after a 5xx).
                let stillPending = Self.pending(await sandbox.store.state, ignoring: unknown)
                #expect(
                    stillPending.isSubset(of: failed),
                    "reported applied but still pending: \(stillPending.subtracting(failed).sorted().prefix(5))")
            }
            #expect(status == .success, "converged within \(runs) runs")

            // Nothing lost: the live state is the desired state, and a fresh plan is empty.
            #expect(Self.pending(await sandbox.store.state, ignoring: unknown).isEmpty)
            let plan = await Self.plan(request)
            #expect(ExitStatus(plan, detailed: true) == .success, "\(plan.errors) \(plan.plan?.changes.map(\.address).prefix(10) ?? [])")

            // Nothing duplicated: per channel, the local storage calls that reached the API
            // changed state exactly as often as needed, and none re-sent a change.
            let calls = sandbox.stats.localStorageCalls()
            var duplicated = 0, lost = 0
            for (id, count) in needed {
                let got = calls[id] ?? .init()
                duplicated += got.redundant + max(0, got.effective - count)
                lost += max(0, count - got.effective)
                #expect(got.redundant == 0, "\(id): \(got.redundant) redundant local storage calls")
                #expect(got.effective == count, "\(id): \(got.effective) effective local storage calls, \(count) needed")
            }
            let stillPending = Self.pending(await sandbox.store.state, ignoring: unknown).count
            let statuses = sandbox.stats.snapshot().reduce(into: [Int: Int]()) { $0[$1.key.status, default: 0] += $1.count }
            print(
                "wabaform-reliability: faults=\(combination.name) runs=\(runs) stopped_before_writing=\(stoppedBeforeWriting)",
                "changes=\(desiredChanges.count) storage_calls_needed=\(needed.values.reduce(0, +)) failed_reported=\(failedReported)",
                "injected_503=\(statuses[503] ?? 0) injected_429=\(statuses[429] ?? 0) dropped=\(statuses[0] ?? 0)",
                "requests=\(statuses.values.reduce(0, +)) applied=\(desiredChanges.count - stillPending)",
                "lost=\(lost) duplicated=\(duplicated)")
        }
    }
}
