import PartnerAPIRules
import Testing
import WabaformConfig

@testable import WabaformCore

/// One equality for plan, apply's read-back and WABA read-back: by value, with the API's
/// case rules (issue 17: "equality by value, not by digest").
@Suite struct PlanValueEquivalenceTests {
    static func hook(_ url: String, _ headers: [(String, String)] = []) -> PlanValue {
        .webhook(url: url, headers: headers.map { WebhookHeader(name: $0.0, value: Secret($0.1)) })
    }

    @Test("scheme and host case, header-name case and header order do not matter")
    func equivalent() {
        #expect(Self.hook("HTTPS://Hooks.Example.com/wa/x").isEquivalent(to: Self.hook("https://hooks.example.com/wa/x")))
        #expect(
            Self.hook("https://h.example.com/x", [("X-Token", "s"), ("A", "1")])
                .isEquivalent(to: Self.hook("https://h.example.com/x", [("a", "1"), ("x-token", "s")])))
        #expect(PlanValue.region("de").isEquivalent(to: .region("DE")))
        #expect(PlanValue.text("https://Example.com/p").isEquivalent(to: .text("https://example.com/p")))
    }

    @Test("path case, header values, a missing header and none against a value do")
    func different() {
        #expect(!Self.hook("https://h.example.com/WA").isEquivalent(to: Self.hook("https://h.example.com/wa")))
        #expect(
            !Self.hook("https://h.example.com/x", [("X-T", "S")]).isEquivalent(to: Self.hook("https://h.example.com/x", [("X-T", "s")])))
        #expect(!Self.hook("https://h.example.com/x", [("X-T", "s")]).isEquivalent(to: Self.hook("https://h.example.com/x")))
        #expect(!PlanValue.none.isEquivalent(to: .region("DE")))
        #expect(!PlanValue.text("https://h.example.com/x").isEquivalent(to: Self.hook("https://h.example.com/x")))
    }

    @Test("the planner and apply's read-back agree: no change planned means converged")
    func plannerAgrees() {
        let resource = Resource.partner(id: "demoPA")
        let live = LiveWebhook(url: "HTTPS://H.example.com/x", headers: ["x-t": Secret("s")])
        let desired = LiveWebhook(url: "https://h.example.com/x", headers: ["X-T": Secret("s")])
        #expect(Planner.webhookChange(resource: resource, live: live, desired: desired) == nil)
        #expect(Applier.converged(PlanValue(live), PlanValue(desired)))
    }
}
