import Foundation
import PartnerSandbox
import Testing
import WabaformTestSupport
@testable import WabaformCore

/// Every sandbox variant × plan, apply, drift and export on a fleet of 22 channels, in
/// process through the services and the real client over loopback. Each run either works
/// or stops safely: no crash, no exit 1 for the fleet, no write the plan did not show, no
/// disruptive write without consent (exit 4, zero writes), and the plan is empty after apply.
/// (`no-storage-field` is another change's; it joins the matrix when it is implemented.)
@Suite(.serialized) struct VariantMatrixTests {
    static let config = """
        version: 1
        partner:
          id: demoPA
          webhook_url: https://hooks.example.com/matrix/partner
        channels:
          - select: all
            webhook:
              url: https://hooks.example.com/matrix/{channel_id}
              headers:
                X-Hook-Secret: matrix-secret
          - select: all
            local_storage: DE

        """

    /// One run per variant, the default shapes, and all of them at once.
    static let cases: [Set<SandboxVariant>] =
        [[]] + SandboxVariant.allCases.filter { $0 != .noStorageField }.map { [$0] }
        + [Set(SandboxVariant.allCases.filter { $0 != .noStorageField })]

    static func name(_ variants: Set<SandboxVariant>) -> String {
        variants.isEmpty ? "(default shapes)" : variants.sorted().map(\.rawValue).joined(separator: ",")
    }

    @Test(arguments: cases)
    func planApplyDriftExport(variants: Set<SandboxVariant>) async throws {
        let label = Self.name(variants)
        let directory = try Scratch.directory("matrix")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let configuration = SandboxConfiguration(keysFilePath: directory + "/keys.json", fleet: 10, variants: variants)

        try await Sandbox.withRunning(configuration) { sandbox in
            let partner = await sandbox.store.state.partner
            // The lean token only matters to bearer sign-in: use it wherever that variant is on.
            var environment =
                variants.contains(.leanToken)
                ? ["WABAFORM_USERNAME": partner.username, "WABAFORM_PASSWORD": partner.password]
                : ["WABAFORM_API_KEY": sandbox.partnerKey]
            environment["WABAFORM_PARTNER_ID"] = sandbox.partnerID
            var connection = ConnectionSettings(apiURL: sandbox.apiURL, messagingURL: sandbox.messagingURL, environment: environment)
            connection.channelKeysFile = directory + "/keys.json"
            connection.timeout = .seconds(10)
            // The CLI's attempts, without its seconds of backoff: the variants are about shapes.
            connection.retryPolicy = ServiceHarness.quickRetries
            let request = PlanService.Request(paths: [directory + "/wabaform.yaml"], workingDirectory: directory, connection: connection)

            // Plan: changes pending, the whole fleet planned, nothing written.
            let first = await PlanService.run(request)
            #expect(!first.failed, "\(label): plan failed: \(first.errors) \(first.diagnostics)")
            let plan = try #require(first.plan, "\(label): no plan")
            #expect(first.totalChannels == 22, "\(label)")
            #expect(!plan.changes.isEmpty, "\(label)")
            #expect(Self.writes(sandbox).isEmpty, "\(label): plan wrote \(Self.writes(sandbox))")
            #expect(first.warnings.filter { $0.contains("is unknown") }.count <= 1, "\(label): said once: \(first.warnings)")
            let disruptive = plan.changes.filter(\.disruptive)
            #expect(!disruptive.isEmpty, "\(label)")
            if variants.contains(.richChannels) {
                let reasons = disruptive.compactMap(\.disruptionReason)
                let imported = reasons.filter { $0.hasPrefix("status imported: treated as live") }
                let missing = reasons.filter { $0.hasPrefix("status missing: treated as live") }
                #expect(!imported.isEmpty && !missing.isEmpty, "\(label): \(reasons)")
            }

            // Apply without consent: exit 4, zero writes.
            sandbox.stats.reset()
            let refused = await ApplyService.run(
                ApplyService.Request(plan: request, consent: .massChange), show: { _ in }, confirm: { _ in .yes })
            #expect(refused.status == .blocked, "\(label): \(refused.blocked) \(refused.plan.errors)")
            #expect(refused.blocked.count == 1 && refused.blocked[0].contains("--allow-disruptive"), "\(label): \(refused.blocked)")
            #expect(Self.writes(sandbox).isEmpty, "\(label): a refused apply wrote \(Self.writes(sandbox))")

            // Apply with consent: done, and nothing written that the plan did not show.
            let before = await sandbox.store.state
            sandbox.stats.reset()
            let applied = await ApplyService.run(
                ApplyService.Request(plan: request, consent: [.disruptive, .massChange]), show: { _ in }, confirm: { _ in .yes })
            #expect(
                applied.status == .success,
                "\(label): \(applied.plan.errors) \(applied.ledger?.entries.filter { $0.outcome != .applied } ?? [])"
            )
            let after = await sandbox.store.state
            let planned = Set(plan.changes.map(\.address))
            for (id, old) in before.channels {
                let new = try #require(after.channels[id])
                if old.webhook != new.webhook {
                    #expect(planned.contains("channel.\(id).webhook"), "\(label): unplanned webhook write on \(id)")
                }
                if old.localStorage != new.localStorage {
                    #expect(planned.contains("channel.\(id).local_storage"), "\(label): unplanned storage write on \(id)")
                }
            }
            for id in sandbox.stats.localStorageCalls().keys {
                #expect(planned.contains("channel.\(id).local_storage"), "\(label): unplanned storage call on \(id)")
            }
            let partnerPlanned = !planned.filter { $0.hasPrefix("partner.") }.isEmpty
            if before.partner != after.partner { #expect(partnerPlanned, "\(label)") }

            // Plan again: empty. Drift: none. Export: complete, read-only.
            let again = await PlanService.run(request)
            #expect(!again.failed, "\(label): \(again.errors)")
            #expect(again.plan?.changes.map(\.address) == [], "\(label): not converged: \(again.plan?.changes.map(\.address) ?? [])")
            sandbox.stats.reset()
            let drift = await DriftService.run(request)
            #expect(!drift.failed && drift.plan?.changes.isEmpty == true, "\(label): drift \(drift.errors)")
            let export = await ExportService.run(PlanService.Request(paths: [], workingDirectory: directory, connection: connection))
            #expect(!export.failed && export.export != nil, "\(label): export \(export.errors)")
            #expect(Self.writes(sandbox).isEmpty, "\(label): drift or export wrote \(Self.writes(sandbox))")
        }
    }

    /// Requests that could change something (sign-in aside), by route.
    static func writes(_ sandbox: RunningSandbox) -> [String] {
        sandbox.stats.snapshot()
            .filter { $0.key.method != "GET" && $0.key.route != "/api/v2/token" }
            .map { "\($0.key.method) \($0.key.route) \($0.key.status) x\($0.count)" }
    }
}
