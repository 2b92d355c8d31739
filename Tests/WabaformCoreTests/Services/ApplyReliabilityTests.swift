import Foundation
import PartnerSandbox
import Testing
@testable import WabaformCore

/// Apply under faults, in-process: the ledger is exact and reruns converge. The process half
/// (SIGKILL mid-apply, then a rerun) is `Tests/WabaformCLITests/ApplyReliabilityTests.swift`.
@Suite struct ApplyReliabilityTests {
    /// Under 30% 5xx, apply either converges or says exactly which changes failed (every
    /// change it calls applied really is), and running it again converges.
    @Test(arguments: [UInt64(1), 2, 3])
    func failuresAreReportedExactlyAndARerunConverges(seed: UInt64) async throws {
        let faults = FaultSettings(failRate: 0.3, retryAfterSeconds: 0, seed: seed)
        try await Sandbox.withRunning(SandboxConfiguration(faults: faults)) { sandbox in
            // The keys a user has: acme04CH's key is not published.
            let unpublished = await Set(sandbox.store.state.channels.filter { $0.value.keyPublished == false }.map(\.key))
            let request = await ServiceHarness.request(
                sandbox, withoutKey: unpublished.contains, retryPolicy: ServiceHarness.quickRetries)
            let first = await ServiceHarness.applyApproved(request)
            #expect(first.status == .success || first.status == .partial, "\(first.plan.errors) \(first.blocked)")
            let ledger = try #require(first.ledger)
            #expect(ledger.entries.count == 12)
            let failed = ServiceHarness.notApplied(first)
            #expect((first.status == .partial) == !failed.isEmpty)
            // What still needs changing is exactly a subset of what was reported as failed.
            let plan = await PlanService.run(request)
            let pending = Set((plan.plan?.changes ?? []).map(\.address))
            #expect(pending.isSubset(of: failed), "reported applied but still pending: \(pending.subtracting(failed))")
            // Reruns converge.
            var status = first.status
            for _ in 0..<6 where status != .success {
                status = await ServiceHarness.applyApproved(request).status
            }
            #expect(status == .success)
            let after = await PlanService.run(request)
            #expect(ExitStatus(after, detailed: true) == .success, "\(after.plan?.changes.map(\.address) ?? []) \(after.errors)")
        }
    }
}
