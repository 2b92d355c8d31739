import Testing
@testable import WabaformCore

/// Safe by default: a local storage change is disruptive unless the channel is known not to
/// carry traffic. Every status in the reference, an unknown one and a missing one.
@Suite struct DisruptionRuleTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var status: String?
        var availability: String?
        var disruptive: Bool
        var reason: String?
        var testDescription: String { "status \(status ?? "(missing)"), availability \(availability ?? "(missing)")" }
    }

    static let rows: [Row] = [
        // Known pre-live, not (yet) ready: not disruptive.
        Row(status: "created", availability: "setting_up", disruptive: false),
        Row(status: "unverified", availability: "setting_up", disruptive: false),
        Row(status: "verified", availability: "setting_up", disruptive: false),
        Row(status: "consents_signed", availability: nil, disruptive: false),
        Row(status: "pending", availability: "setting_up", disruptive: false),
        Row(status: "pending", availability: "error", disruptive: false),
        // Pre-live status, but the documented readiness signal says ready: live.
        Row(
            status: "created", availability: "ready", disruptive: true,
            reason: "availability_status ready (status created): treated as live"),
        // Live by name.
        Row(status: "ready", availability: "ready", disruptive: true, reason: "channel status is ready"),
        Row(status: "live", availability: nil, disruptive: true, reason: "channel status is live"),
        Row(status: "READY", availability: "setting_up", disruptive: true, reason: "channel status is ready"),
        // Every other status in the reference: a number can be live under it.
        Row(
            status: "imported", availability: "ready", disruptive: true,
            reason: "status imported: treated as live (not a status known to come before a number goes live)"),
        Row(
            status: "imported", availability: "setting_up", disruptive: true,
            reason: "status imported: treated as live (not a status known to come before a number goes live)"),
        Row(status: "modified", availability: nil, disruptive: true),
        Row(status: "new_name_requested", availability: "ready", disruptive: true),
        Row(status: "certificate_declined", availability: "ready", disruptive: true),
        Row(status: "error", availability: "error", disruptive: true),
        Row(status: "porting_ready", availability: "setting_up", disruptive: true),
        Row(status: "ready_for_migration", availability: "setting_up", disruptive: true),
        Row(status: "waiting_for_migration_code", availability: "setting_up", disruptive: true),
        Row(status: "migration_code_requested", availability: "setting_up", disruptive: true),
        // Never seen, or not sent at all.
        Row(
            status: "hibernating", availability: "setting_up", disruptive: true,
            reason: "status hibernating: treated as live (not a status known to come before a number goes live)"),
        Row(status: nil, availability: "setting_up", disruptive: true, reason: "status missing: treated as live"),
        Row(status: "", availability: nil, disruptive: true, reason: "status missing: treated as live"),
    ]

    @Test(arguments: rows)
    func statusDecides(row: Row) {
        let reason = DisruptionRule.liveReason(status: row.status, availability: row.availability)
        #expect((reason != nil) == row.disruptive)
        if let expected = row.reason { #expect(reason == expected) }
    }

    /// The planner marks the change and says why; apply's guard blocks it without consent.
    @Test(arguments: rows)
    func plannedChangeSaysWhy(row: Row) throws {
        typealias F = PlannerFixtures
        var test = F.channel("aCH", status: row.status ?? "")
        test.channel.status = row.status
        test.channel.availabilityStatus = row.availability
        let outcome = try F.plan(F.header + "  - select: all\n    local_storage: DE\n", F.live([test]))
        let change = try #require(outcome.plan?.changes.first { $0.attribute == .channelLocalStorage })
        #expect(change.disruptive == row.disruptive)
        if row.disruptive {
            let reason = try #require(change.disruptionReason)
            #expect(reason.hasSuffix("changing local storage can interrupt a live number"))
            if let expected = row.reason { #expect(reason.hasPrefix(expected)) }
            let plan = try #require(outcome.plan)
            #expect(TextPlanRenderer(color: false).render(plan).contains(reason))
            #expect(JSONPlanRenderer().render(plan).contains(reason))
            #expect(MarkdownPlanRenderer().render(plan).contains(reason))
        }
        let blocks = ApplyGuards.blocks(plan: try #require(outcome.plan), totalChannels: 1, consent: [])
        #expect(blocks.isEmpty == !row.disruptive)
    }
}
