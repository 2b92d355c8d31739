import Testing
import WabaformConfig
@testable import WabaformCore

/// `webhook: unmanaged` / `local_storage: unmanaged` on a higher-ranked rule take that
/// attribute of the channels it selects out of broader rules.
@Suite struct CarveOutTests {
    typealias F = PlannerFixtures

    static let fleet = [
        F.channel("aCH", webhook: F.hook("https://old.example.com/a")),
        F.channel("bCH", storage: .known("GB"), webhook: .known(nil)),
        F.channel("cCH", clientName: "Globex Ltd", webhook: .unknown(reason: "no channel key")),
    ]

    @Test("webhook: unmanaged on one id under select: all plans no change for that channel, and its webhook is not read")
    func idCarveOut() throws {
        let yaml =
            F.header + """
                  - select: all
                    webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
                    local_storage: DE
                  - id: bCH
                    webhook: unmanaged
                """ + "\n"
        let outcome = try F.plan(yaml, F.live(Self.fleet))
        let plan = try #require(outcome.plan, "\(outcome.diagnostics)")
        #expect(
            F.summary(plan) == [
                "channel.aCH.local_storage create none -> DE",
                "channel.aCH.webhook update https://old.example.com/a -> https://hooks.example.com/wa/aCH",
                "channel.bCH.local_storage replace GB -> DE",
                "channel.cCH.local_storage create none -> DE",
            ])
        #expect(plan.unknowns.map(\.address) == ["channel.cCH.webhook"])
        let config = try F.config(yaml)
        #expect(Planner.channelsWithManagedWebhook(config: config, channels: F.live(Self.fleet).channels) == ["aCH", "cCH"])
    }

    @Test("a select map carves out both attributes; an id rule sets them again for one of its channels")
    func mapCarveOutAndIdOverride() throws {
        let yaml =
            F.header + """
                  - select: all
                    webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
                    local_storage: DE
                  - select: { client.name: "Globex*" }
                    webhook: unmanaged
                    local_storage: "unmanaged"
                  - id: cCH
                    local_storage: off
                """ + "\n"
        let live = F.live(Self.fleet + [F.channel("dCH", clientName: "Globex AG", webhook: F.hook("https://x.example.com"))])
        let plan = try #require(try F.plan(yaml, live).plan)
        #expect(F.summary(plan).filter { $0.hasPrefix("channel.cCH") || $0.hasPrefix("channel.dCH") } == [])
        #expect(plan.unknowns.isEmpty, "cCH's webhook is carved out, so not unknown either")
    }

    @Test("a carve-out and a value at the same rank conflict, naming both rules")
    func sameRankConflict() throws {
        let yaml =
            F.header + """
                  - select: { status: ready }
                    webhook: { url: "https://hooks.example.com/a" }
                  - select: { client.name: "Acme*" }
                    webhook: unmanaged
                """ + "\n"
        let outcome = try F.plan(yaml, F.live(Self.fleet))
        #expect(outcome.plan == nil)
        #expect(
            outcome.diagnostics.contains {
                $0.message.contains(
                    "rules at wabaform.yaml:5:5 and wabaform.yaml:7:5 (both select map) give channel aCH different webhook values")
            },
            "\(outcome.diagnostics)")
    }

    @Test("validate: two select: all rules, one setting and one carving out, conflict; a near miss gets a hint")
    func validation() {
        let twoAll = ConfigLoader.load(
            sources: [
                (
                    path: "w.yaml",
                    text: F.header + """
                          - select: all
                            local_storage: DE
                          - select: all
                            local_storage: unmanaged
                        """ + "\n"
                )
            ], environment: [:])
        #expect(
            twoAll.diagnostics.map(\.message) == [
                "local_storage is already set to a different value for select: all at w.yaml:5:5; two rules with the same selector must not set local_storage differently (remove one, or merge them)"
            ])
        let nearMiss = ConfigLoader.load(sources: [(path: "w.yaml", text: F.header + "  - id: aCH\n    webhook: none\n")], environment: [:])
        #expect(
            nearMiss.diagnostics.map(\.message) == [
                "webhook: none is not a value; did you mean webhook: unmanaged (leave this channel's webhook as it is, whatever broader rules say)?"
            ])
    }
}

/// One URL per number: a placeholder-free URL on more than one channel is one warning.
@Suite struct SharedURLTests {
    typealias F = PlannerFixtures

    @Test func aLiteralURLOnSeveralChannelsIsOneWarningNotAPlanWarning() throws {
        let yaml =
            F.header + """
                  - select: all
                    webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
                  - select: { client.name: "Acme*" }
                    webhook: { url: "https://HOOKS.example.com/shared" }
                  - id: gCH
                    webhook: { url: "https://hooks.example.com/shared" }
                  - id: hCH
                    webhook: { url: "https://hooks.example.com/alone" }
                """ + "\n"
        let live = F.live([
            F.channel("aCH"), F.channel("bCH"), F.channel("gCH", clientName: "Globex"), F.channel("hCH", clientName: "Hooli"),
            F.channel("iCH", clientName: "Initech"),
        ])
        let outcome = try F.plan(yaml, live)
        let plan = try #require(outcome.plan)
        let shared = outcome.diagnostics.filter { $0.message.contains("should be unique for every WABA number") }
        #expect(shared.count == 1)
        #expect(shared.first?.isError == false)
        #expect(shared.first?.message.hasPrefix("this webhook URL has no placeholder and is set on 3 channels;") == true)
        #expect(shared.first.map { "\($0.location)" } == "wabaform.yaml:7:5")
        #expect(plan.warnings.isEmpty, "not a plan warning, so --strict keeps it a warning")
    }
}
