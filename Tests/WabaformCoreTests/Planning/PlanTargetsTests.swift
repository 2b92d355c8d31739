import Testing
@testable import WabaformCore

@Suite struct PlanTargetsTests {
    @Test(
        "a target matches an address whole, and every address below it",
        arguments: [
            ("channel.abcCH", "channel.abcCH.webhook", true), ("channel.abcCH", "channel.abcCH", true),
            ("channel.abcCH", "channel.abcCHX.webhook", false), ("channel.abcCH.webhook", "channel.abcCH.local_storage", false),
            ("channel.a*", "channel.abcCH.local_storage", true), ("channel.*.local_storage", "channel.abcCH.local_storage", true),
            ("channel.*.local_storage", "channel.abcCH.webhook", false), ("partner.*", "partner.webhook_url", true),
            ("partner", "partner.redirect_url", true), ("waba.*", "channel.abcCH.webhook", false),
            ("*", "waba.acmeWA.webhook", true),
        ])
    func matches(target: String, address: String, expected: Bool) throws {
        #expect(try PlanTargets([target]).matches(address) == expected)
        // Among other targets that match nothing, the answer is the same.
        #expect(try PlanTargets(["channel.zzzCH", target, "waba.none*"]).matches(address) == expected)
    }
}
