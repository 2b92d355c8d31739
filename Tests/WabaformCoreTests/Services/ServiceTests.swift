import Foundation
import PartnerAPIRules
import PartnerSandbox
import Synchronization
import Testing
import WabaformTestSupport
@testable import WabaformCore

/// The services behind plan, apply and drift, called in-process against a real sandbox over
/// HTTP: each behaviour pinned at its own layer, without building or running the binary.
@Suite("Services in-process")
struct ServiceTests {
    static func request(_ sandbox: RunningSandbox) async -> PlanService.Request { await ServiceHarness.request(sandbox) }
    static func writes(_ sandbox: RunningSandbox) -> Int { ServiceHarness.writes(sandbox) }
    static let quickstart = ServiceHarness.quickstart

    @Test("plan reads live state and plans the quickstart's changes, writing nothing")
    func plan() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let report = await PlanService.run(await Self.request(sandbox))
            #expect(report.errors == [])
            let plan = try #require(report.plan)
            #expect(!plan.isEmpty)
            #expect(plan.changes.contains { $0.disruptive })
            #expect(Set(plan.changes.map(\.action)).isSuperset(of: [.create, .update, .delete, .replace]))
            #expect(report.totalChannels == (await sandbox.store.state.channels.count))
            #expect(Self.writes(sandbox) == 0)
        }
    }

    @Test("drift reports the same plan as plan, with GET requests only")
    func drift() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let request = await Self.request(sandbox)
            let planned = try #require(await PlanService.run(request).plan)
            let drifted = try #require(await DriftService.run(request).plan)
            #expect(drifted.changes.map(\.address) == planned.changes.map(\.address))
            #expect(Self.writes(sandbox) == 0)
        }
    }

    @Test("apply stops before any write when a disruptive change lacks consent (exit 4)")
    func guardBlocksDisruptive() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let report = await ApplyService.run(
                ApplyService.Request(plan: await Self.request(sandbox)), show: { _ in }, confirm: { _ in .yes })
            #expect(report.status == .blocked)
            #expect(report.blocked.contains { $0.contains("--allow-disruptive") })
            #expect(report.ledger == nil)
            #expect(Self.writes(sandbox) == 0)
        }
    }

    @Test("apply refuses without a terminal to ask on, and when the answer is not yes")
    func confirmation() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let request = ApplyService.Request(plan: await Self.request(sandbox), consent: .disruptive)
            for answer in [ApplyService.Confirmation.cannotAsk, .no] {
                let report = await ApplyService.run(request, show: { _ in }, confirm: { _ in answer })
                #expect(report.status == .blocked)
                #expect(report.ledger == nil)
            }
            #expect(Self.writes(sandbox) == 0)
        }
    }

    @Test("apply with consent writes, verifies, and a second plan is empty")
    func applyConverges() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let request = ApplyService.Request(plan: await Self.request(sandbox), consent: .disruptive)
            let shown = ShownPlans()
            let report = await ApplyService.run(request, show: { shown.add($0) }, confirm: { _ in .yes })
            #expect(report.status == .success)
            let ledger = try #require(report.ledger)
            #expect(ledger.succeeded)
            #expect(ledger.count(.applied) == shown.plans.first?.changes.count)
            #expect(Self.writes(sandbox) > 0)

            let again = await PlanService.run(await Self.request(sandbox))
            #expect(again.errors == [])
            #expect(try #require(again.plan).isEmpty)
            let second = await ApplyService.run(request, show: { shown.add($0) }, confirm: { _ in .yes })
            #expect(second.status == .success)
            #expect(second.ledger == nil)
            #expect(shown.plans.count == 1)
        }
    }

    @Test("a dry run lists the requests and sends none")
    func dryRun() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            var request = ApplyService.Request(plan: await Self.request(sandbox))
            request.dryRun = true
            let report = await ApplyService.run(request, show: { _ in }, confirm: { _ in .yes })
            #expect(report.status == .success)
            #expect(!(report.dryRun ?? []).isEmpty)
            #expect(report.plan.warnings.contains { $0.contains("apply would stop here") })
            #expect(Self.writes(sandbox) == 0)
        }
    }

    @Test("a saved plan whose live values moved is refused before any write")
    func stalePlan() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let request = await Self.request(sandbox)
            let report = await PlanService.run(request)
            let plan = try #require(report.plan)
            let config = try #require(report.config), endpoints = try #require(report.endpoints)
            let digester = Digester.random()
            let saved = SavedPlan(
                plan: plan, digester: digester, configDigest: digester.digest(config, partnerID: plan.partnerID),
                configFiles: config.sourceFiles, apiURL: endpoints.apiURL.absoluteString,
                messagingURL: endpoints.messagingURL.absoluteString, wabaformVersion: "test")
            let file = URL(fileURLWithPath: try Scratch.file("stale.json"))
            defer { try? FileManager.default.removeItem(at: file) }
            try saved.encoded().write(to: file)

            // Someone changes the partner's webhook between plan and apply.
            var partnerEnv = request
            partnerEnv.paths = [Self.quickstart]
            try await PartnerAPIClient.withClient(try request.connection.resolve(partnerID: sandbox.partnerID).client) { client in
                try await client.setPartnerWebhookURL("https://elsewhere.example.com/hook")
            }
            let before = Self.writes(sandbox)
            let applied = await ApplyService.run(
                ApplyService.Request(plan: partnerEnv, planFile: file.path, consent: .disruptive),
                show: { _ in }, confirm: { _ in .yes })
            #expect(applied.status == .blocked)
            #expect(applied.blocked.contains { $0.contains("partner.webhook_url") })
            #expect(Self.writes(sandbox) == before)
        }
    }
}

/// Plans handed to `show`, in order.
final class ShownPlans: Sendable {
    private let storage = Mutex<[Plan]>([])
    var plans: [Plan] { storage.withLock { $0 } }
    func add(_ plan: Plan) { storage.withLock { $0.append(plan) } }
}
