import Foundation
import Testing
@testable import WabaformCore

/// `ApplyGuards` and `SavedPlanCheck` on their own, over plans the planner makes from live
/// snapshots: each reason apply stops before any write (exit 4), pinned at its own layer.
@Suite struct ApplyChecksTests {
    typealias F = PlannerFixtures

    /// A plan that sets the webhook of `changed` of `total` channels (the rest already match).
    static func webhookPlan(changed: Int, total: Int) throws -> Plan {
        let url = "https://h.example.com/wa/{channel_id}"
        let channels = (0..<total).map { index in
            let id = String(format: "c%03dCH", index)
            return F.channel(id, webhook: index < changed ? .known(nil) : F.hook("https://h.example.com/wa/\(id)"))
        }
        return try #require(try F.plan(F.header + "  - select: all\n    webhook: { url: \"\(url)\" }\n", F.live(channels)).plan)
    }

    static func blocks(_ plan: Plan, total: Int, allowMassChange: Bool = false) -> [String] {
        ApplyGuards.blocks(plan: plan, totalChannels: total, consent: allowMassChange ? .massChange : [])
    }

    @Test("more than 10 channels' webhooks and more than 25% of all is a mass change: blocked without --allow-mass-change")
    func massChange() throws {
        let plan = try Self.webhookPlan(changed: 11, total: 40)
        #expect(plan.changes.count == 11)
        let reasons = Self.blocks(plan, total: 40)
        #expect(reasons.count == 1)
        #expect(reasons.first?.contains("the plan changes the webhook of 11 of 40 channels") == true, "\(reasons)")
        #expect(reasons.first?.hasSuffix("pass --allow-mass-change") == true)
        #expect(Self.blocks(plan, total: 40, allowMassChange: true).isEmpty)
    }

    @Test("10 channels, or 25% or less of all, is not a mass change", arguments: [(10, 10), (11, 44), (3, 3)])
    func notAMassChange(changed: Int, total: Int) throws {
        let plan = try Self.webhookPlan(changed: changed, total: total)
        #expect(plan.changes.count == changed)
        #expect(Self.blocks(plan, total: total).isEmpty)
    }

    /// A saved plan of `plan` and the inputs the check compares it with, all as they were.
    struct Saved {
        var plan: Plan
        var saved: SavedPlan
        var digester = Digester.random()
        let configDigest = "config-digest"
        let apiURL = "https://hub.example.com/api/v2", messagingURL = "https://waba.example.com"

        init(_ plan: Plan) {
            self.plan = plan
            saved = SavedPlan(
                plan: plan, digester: digester, configDigest: configDigest, configFiles: ["wabaform.yaml"], apiURL: apiURL,
                messagingURL: messagingURL, wabaformVersion: "test")
        }

        func differences(
            fresh: Plan? = nil, configDigest: String? = nil, apiURL: String? = nil, unread: Set<String> = []
        ) -> [String] {
            SavedPlanCheck.differences(
                saved: saved, fresh: fresh ?? plan, digester: digester, configDigest: configDigest ?? self.configDigest,
                apiURL: apiURL ?? self.apiURL, messagingURL: messagingURL, unread: unread)
        }
    }

    @Test("a saved plan holds while nothing moved")
    func nothingMoved() throws {
        #expect(Saved(try Self.webhookPlan(changed: 3, total: 5)).differences().isEmpty)
    }

    @Test("other endpoints, another config, another partner: each named")
    func inputsMoved() throws {
        let check = Saved(try Self.webhookPlan(changed: 3, total: 5))
        let endpoints = check.differences(apiURL: "https://other.example.com/api/v2")
        #expect(endpoints.count == 1)
        #expect(endpoints.first?.hasPrefix("the plan was made against https://hub.example.com/api/v2") == true, "\(endpoints)")
        let config = check.differences(configDigest: "another")
        #expect(config.count == 1)
        #expect(config.first?.hasPrefix("the configuration changed since the plan was made") == true)
        var other = check.plan
        other.partnerID = "otherPA"
        #expect(check.differences(fresh: other).contains("the plan is for partner demoPA; the config now names otherPA"))
    }

    @Test("a change gone, a change added, a live value moved: each address named; unread addresses are not checked")
    func changesMoved() throws {
        let check = Saved(try Self.webhookPlan(changed: 3, total: 5))
        let fewer = try Self.webhookPlan(changed: 2, total: 5)
        #expect(
            check.differences(fresh: fewer) == [
                "channel.c002CH.webhook: live state moved; the planned create is no longer needed or no longer the same"
            ])
        #expect(check.differences(fresh: fewer, unread: ["channel.c002CH.webhook"]).isEmpty)
        let more = try Self.webhookPlan(changed: 4, total: 5)
        #expect(
            check.differences(fresh: more) == [
                "channel.c003CH.webhook: a change that is not in the saved plan (create); live state or the config moved"
            ])
        var moved = check.plan
        moved.changes[0].before = .webhook(url: "https://elsewhere.example.com/x", headers: [])
        let live = check.differences(fresh: moved)
        #expect(live.count == 1)
        #expect(live.first?.hasPrefix("channel.c000CH.webhook: the live value changed since the plan was made") == true, "\(live)")
    }
}
