import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
import WabaformTestSupport
@testable import WabaformCore

/// WABA-wide webhooks end to end, in-process against a real sandbox over HTTP: plan, apply
/// (with the sandbox applying the write 3 s late), read-back polling, plan empty afterwards.
@Suite("WABA webhooks")
struct WABAWebhookTests {
    static let secret = "waba-h00k-secret-value"

    static let config = """
        version: 1
        partner:
          id: demoPA
        wabas:
          - select: all
            webhook:
              url: https://hooks.example.com/waba/{waba_id}
              headers: { X-Hook-Secret: "${WABA_SECRET}" }
          - id: initechWA
            webhook:
              url: https://initech.example.com/all
              override_all: true

        """

    static func configFile(_ text: String = config) throws -> String { try ServiceHarness.configFile(text) }

    /// A plan request with the keys of every channel except those `withoutKey` says.
    static func request(
        _ sandbox: RunningSandbox, path: String, withoutKey: (String) -> Bool = { _ in false }, targets: PlanTargets = .everything
    ) async -> PlanService.Request {
        await ServiceHarness.request(
            sandbox, paths: [path], environment: ["WABA_SECRET": secret], withoutKey: withoutKey, targets: targets)
    }

    static func count(_ sandbox: RunningSandbox, _ method: String) -> Int {
        Harness.count(sandbox, method, "/waba_webhook")
    }

    static let fastReadback = WABAReadback(timeout: .seconds(15), interval: .milliseconds(250))

    @Test("plan shows waba.<id>.webhook changes; apply waits out a 3 s delayed write by reading back; the next plan is empty")
    func planApplyConverge() async throws {
        let path = try Self.configFile()
        var configuration = SandboxConfiguration()
        configuration.wabaWebhookDelay = .seconds(3)
        try await Sandbox.withRunning(configuration) { sandbox in
            let report = await PlanService.run(await Self.request(sandbox, path: path))
            #expect(report.errors == [])
            let plan = try #require(report.plan)
            #expect(plan.changes.map(\.address) == ["waba.acmeWA.webhook", "waba.globexWA.webhook", "waba.initechWA.webhook"])
            #expect(plan.changes.allSatisfy { $0.action == .create && $0.attribute == .wabaWebhook })
            let acme = try #require(plan.changes.first)
            #expect(
                acme.after
                    == .webhook(
                        url: "https://hooks.example.com/waba/acmeWA", headers: [.init(name: "X-Hook-Secret", value: Secret(Self.secret))]))
            #expect(acme.overrideAll == false)
            #expect(plan.changes.last?.overrideAll == true)
            guard case .waba(let identity) = acme.resource else { Issue.record("not a WABA resource"); return }
            #expect(identity.keyChannelID == "acme01CH")
            #expect(identity.name == "Acme")

            var request = ApplyService.Request(plan: await Self.request(sandbox, path: path))
            request.wabaReadback = Self.fastReadback
            let started = ContinuousClock.now
            let applied = await ApplyService.run(request, show: { _ in }, confirm: { _ in .yes })
            #expect(applied.status == .success, "\(applied.ledger?.entries.map { "\($0.address): \($0.reason ?? "")" } ?? [])")
            #expect(try #require(applied.ledger).count(.applied) == 3)
            #expect(ContinuousClock.now - started >= .seconds(3), "the read-back waited for the delayed write")
            // Each WABA written once, never re-sent; read back more than once while the write was pending.
            #expect(Self.count(sandbox, "POST") == 3)
            #expect(Self.count(sandbox, "GET") > 2 * 3)
            let stored = await sandbox.store.state.wabaWebhooks
            #expect(stored["initechWA"]?.overrideAll == true)
            #expect(stored["acmeWA"]?.headers == ["X-Hook-Secret": Self.secret])

            let again = await PlanService.run(await Self.request(sandbox, path: path))
            #expect(again.errors == [])
            #expect(try #require(again.plan).isEmpty)
            #expect(again.plan?.unchangedCount == 3)
        }
    }

    @Test("replacing a WABA webhook that is set needs --allow-mass-change: without it exit 4, nothing written")
    func replacingNeedsConsent() async throws {
        let path = try Self.configFile()
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            try await sandbox.store.setWABAWebhook(wabaID: "acmeWA", WebhookRecord(url: "https://old.example.com/acme"))
            var request = ApplyService.Request(plan: await Self.request(sandbox, path: path))
            request.wabaReadback = Self.fastReadback
            let refused = await ApplyService.run(request, show: { _ in }, confirm: { _ in .yes })
            #expect(refused.status == .blocked)
            #expect(refused.blocked.contains { $0.contains("replaces 1 WABA-wide webhook(s) (waba.acmeWA.webhook)") }, "\(refused.blocked)")
            #expect(Self.count(sandbox, "POST") == 0)
            #expect(await sandbox.store.state.wabaWebhooks["acmeWA"]?.url == "https://old.example.com/acme")

            request.consent.insert(.massChange)
            let applied = await ApplyService.run(request, show: { _ in }, confirm: { _ in .yes })
            #expect(applied.status == .success, "\(applied.blocked) \(applied.ledger?.entries.map { $0.reason ?? "" } ?? [])")
            #expect(await sandbox.store.state.wabaWebhooks["acmeWA"]?.url == "https://hooks.example.com/waba/acmeWA")
        }
    }

    @Test("a write that never lands is 'did not converge' after the bounded read-back, sent once")
    func doesNotConverge() async throws {
        let path = try Self.configFile()
        var configuration = SandboxConfiguration()
        configuration.wabaWebhookDelay = .seconds(600)
        try await Sandbox.withRunning(configuration) { sandbox in
            var request = ApplyService.Request(plan: await Self.request(sandbox, path: path, targets: try PlanTargets(["waba.acmeWA"])))
            request.wabaReadback = WABAReadback(timeout: .seconds(1), interval: .milliseconds(200))
            let applied = await ApplyService.run(request, show: { _ in }, confirm: { _ in .yes })
            #expect(applied.status == .partial || applied.status == .failure)
            let entry = try #require(applied.ledger?.entries.first)
            #expect(entry.address == "waba.acmeWA.webhook")
            #expect(entry.outcome == .failed)
            #expect(entry.reason?.contains("did not converge") == true)
            #expect(entry.reason?.contains("--waba-readback-timeout") == true)
            #expect(Self.count(sandbox, "POST") == 1)
        }
    }

    @Test("a WABA none of whose channels has a key plans unknown with the reason, and apply writes nothing for it")
    func noKey() async throws {
        let path = try Self.configFile()
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let withoutGlobex: (String) -> Bool = { $0.hasPrefix("globex") }
            let report = await PlanService.run(await Self.request(sandbox, path: path, withoutKey: withoutGlobex))
            let plan = try #require(report.plan)
            #expect(!plan.changes.contains { $0.address == "waba.globexWA.webhook" })
            let unknown = try #require(plan.unknowns.first { $0.address == "waba.globexWA.webhook" })
            #expect(unknown.reason.contains("no channel of WABA globexWA has a key"))
            #expect(report.warnings.contains { $0.hasPrefix("waba.globexWA.webhook is unknown: no channel of WABA globexWA has a key") })

            var request = ApplyService.Request(plan: await Self.request(sandbox, path: path, withoutKey: withoutGlobex))
            request.wabaReadback = Self.fastReadback
            let applied = await ApplyService.run(request, show: { _ in }, confirm: { _ in .yes })
            #expect(applied.status == .success)
            #expect(Self.count(sandbox, "POST") == 2)
            #expect(await sandbox.store.state.wabaWebhooks["globexWA"] == nil)
        }
    }

    @Test("--target waba.<id> plans that WABA only; a channel target plans no WABA")
    func targets() async throws {
        let path = try Self.configFile()
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let one = await PlanService.run(await Self.request(sandbox, path: path, targets: try PlanTargets(["waba.globexWA"])))
            #expect(try #require(one.plan).changes.map(\.address) == ["waba.globexWA.webhook"])
            #expect(Self.count(sandbox, "GET") == 1)
            let all = await PlanService.run(await Self.request(sandbox, path: path, targets: try PlanTargets(["waba.*"])))
            #expect(try #require(all.plan).changes.count == 3)
            let channel = await PlanService.run(await Self.request(sandbox, path: path, targets: try PlanTargets(["channel.acme01CH"])))
            #expect(try #require(channel.plan).changes.isEmpty)
        }
    }

    @Test("header values never appear in the text, Markdown or JSON plan, nor in the saved plan")
    func secretsStayOut() async throws {
        let path = try Self.configFile()
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let report = await PlanService.run(await Self.request(sandbox, path: path))
            let plan = try #require(report.plan)
            let text = TextPlanRenderer().render(plan)
            #expect(text.contains("waba acmeWA (Acme)"))
            #expect(text.contains("+ webhook.headers.X-Hook-Secret: (sensitive)"))
            #expect(text.contains("+ webhook.override_all: true"))
            let json = JSONPlanRenderer().render(plan)
            let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let changes = try #require(decoded["changes"] as? [[String: Any]])
            #expect(changes.first?["address"] as? String == "waba.acmeWA.webhook")
            #expect(changes.first?["attribute"] as? String == "webhook")
            #expect((changes.first?["waba"] as? [String: Any])?["key_channel_id"] as? String == "acme01CH")
            #expect(changes.last?["override_all"] as? Bool == true)
            let schemaDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schemas")
            let instance = try Scratch.file("waba-plan.json")
            try json.write(toFile: instance, atomically: true, encoding: .utf8)
            #expect(
                try JSONSchemaCheck.validate(schema: schemaDirectory.appendingPathComponent("plan.schema.json").path, instance: instance)
                    == nil)
            let markdown = MarkdownPlanRenderer().render(plan)
            let digester = Digester.random(credentials: .apiKey(Secret(sandbox.partnerKey)))
            let config = try #require(report.config)
            let saved = SavedPlan(
                plan: plan, digester: digester, configDigest: digester.digest(config, partnerID: plan.partnerID),
                configFiles: config.sourceFiles, apiURL: sandbox.apiURL, messagingURL: sandbox.messagingURL, wabaformVersion: "test")
            let savedText = String(decoding: try saved.encoded(), as: UTF8.self)
            #expect(savedText.contains("waba.initechWA.webhook"))
            for output in [text, json, markdown, savedText] { #expect(!output.contains(Self.secret)) }
        }
    }

    @Test("export writes wabas: rules for WABAs with a webhook, and that export plans empty")
    func exportRoundTrips() async throws {
        let path = try Self.configFile()
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            var request = ApplyService.Request(plan: await Self.request(sandbox, path: path, withoutKey: { $0.hasPrefix("globex") }))
            request.wabaReadback = Self.fastReadback
            #expect(await ApplyService.run(request, show: { _ in }, confirm: { _ in .yes }).status == .success)

            var exportRequest = await Self.request(sandbox, path: path)
            exportRequest.paths = []
            exportRequest.connection.environment["WABAFORM_PARTNER_ID"] = sandbox.partnerID
            let report = await ExportService.run(exportRequest)
            #expect(report.errors == [])
            let export = try #require(report.export)
            #expect(
                export.text.contains(
                    """
                    wabas:
                      - id: acmeWA  # Acme
                        webhook:
                          url: https://hooks.example.com/waba/acmeWA
                          headers:
                            X-Hook-Secret: "${WABAFORM_WABA_HEADER_X_HOOK_SECRET}"
                      - id: initechWA  # Initech
                        webhook:
                          url: https://initech.example.com/all

                    """), "\(export.text)")
            #expect(!export.text.contains("globexWA"))
            #expect(!export.text.contains(Self.secret))
            #expect(
                export.model.variables.contains {
                    $0.name == "WABAFORM_WABA_HEADER_X_HOOK_SECRET" && $0.usage == "X-Hook-Secret on WABA acmeWA"
                })

            // The exported file, with its variables set, plans to no changes.
            let file = try Self.configFile(export.text)
            var planRequest = await Self.request(sandbox, path: file)
            for variable in export.model.variables { planRequest.connection.environment[variable.name] = variable.value.revealed }
            let planned = await PlanService.run(planRequest)
            #expect(planned.errors == [])
            #expect(try #require(planned.plan).isEmpty)
            #expect(planned.plan?.unchangedCount ?? 0 >= 2)
        }
    }

    @Test("a saved plan with WABA changes applies; drift then reports none, and reports a WABA webhook changed behind its back")
    func savedPlanAndDrift() async throws {
        let path = try Self.configFile()
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let request = await Self.request(sandbox, path: path)
            let report = await PlanService.run(request)
            let plan = try #require(report.plan)
            let config = try #require(report.config), credentials = try #require(report.credentials)
            let digester = Digester.random(credentials: credentials)
            let saved = SavedPlan(
                plan: plan, digester: digester, configDigest: digester.digest(config, partnerID: plan.partnerID),
                configFiles: config.sourceFiles, apiURL: sandbox.apiURL, messagingURL: sandbox.messagingURL, wabaformVersion: "test")
            let file = URL(fileURLWithPath: try Scratch.file("waba-plan.json"))
            defer { try? FileManager.default.removeItem(at: file) }
            try saved.encoded().write(to: file)
            var apply = ApplyService.Request(plan: request, planFile: file.path)
            apply.wabaReadback = Self.fastReadback
            let applied = await ApplyService.run(apply, show: { _ in }, confirm: { _ in .yes })
            #expect(applied.status == .success, "\(applied.blocked) \(applied.plan.errors)")
            #expect(applied.ledger?.count(.applied) == 3)
            #expect(try #require(await DriftService.run(request).plan).isEmpty)

            // Someone points Acme's WABA webhook elsewhere.
            let key = try #require(await sandbox.store.state.channels["acme02CH"]?.apiKey)
            try await PartnerAPIClient.withClient(try request.connection.resolve(partnerID: sandbox.partnerID).client) { client in
                try await client.setWABAWebhook(
                    wabaID: "acmeWA", channelID: "acme02CH", key: Secret(key), url: "https://elsewhere.example.com/x",
                    headers: nil, overrideAll: false)
            }
            let drift = try #require(await DriftService.run(request).plan)
            #expect(drift.changes.map(\.address) == ["waba.acmeWA.webhook"])
            #expect(drift.changes.first?.action == .update)
        }
    }
}
