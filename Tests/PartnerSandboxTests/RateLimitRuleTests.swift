import Foundation
import Testing
@testable import PartnerSandbox

@Suite struct RateLimitRuleTests {
    @Test func parsesScopesCountsAndWindows() throws {
        #expect(try RateLimitRule.parse("5/30s").get() == RateLimitRule(scope: .host, limit: 5, window: .seconds(30)))
        #expect(try RateLimitRule.parse("channel=20/1s").get() == RateLimitRule(scope: .channel, limit: 20, window: .seconds(1)))
        #expect(
            try RateLimitRule.parse("partner=400/500ms").get() == RateLimitRule(scope: .partner, limit: 400, window: .milliseconds(500)))
        #expect(try RateLimitRule.parse("host=3/2").get() == RateLimitRule(scope: .host, limit: 3, window: .seconds(2)))
        #expect(try RateLimitRule.parse("1/1m").get().window == .seconds(60))
        #expect(RateLimitRule(scope: .channel, limit: 20, window: .seconds(1)).description == "channel=20/1s")
        for bad in ["5", "0/1s", "-1/1s", "5/0s", "5/inf", "5/nan", "5/25h", "key=5/1s", "5/1s/2", "x/1s", "1.5/1s", "5/1d"] {
            #expect(throws: RateLimitRule.ParseError.self, "\(bad)") { try RateLimitRule.parse(bad).get() }
        }
    }

    @Test func theWindowRefusesExactlyPastTheLimitAndFreesAsItSlides() {
        let windows = RateLimitWindows(rules: [RateLimitRule(scope: .channel, limit: 3, window: .seconds(10))])
        let start = ContinuousClock.now
        let a = RateLimitWindows.Caller(messaging: true, credential: "key-a")
        let b = RateLimitWindows.Caller(messaging: true, credential: "key-b")
        for second in 0..<3 { #expect(windows.admit(a, now: start + .seconds(second)) == nil) }
        // The fourth within ten seconds is refused, with the wait until the first slides out.
        #expect(windows.admit(a, now: start + .seconds(3)) == .seconds(7))
        #expect(windows.admit(a, now: start + .milliseconds(9_999)) == .milliseconds(1))
        // Another key, and the Partner API, have their own count (none for the partner here).
        #expect(windows.admit(b, now: start + .seconds(3)) == nil)
        for _ in 0..<10 { #expect(windows.admit(.init(messaging: false, credential: "partner"), now: start) == nil) }
        // Refused requests did not count: at 10 s the first slid out, so exactly one passes.
        #expect(windows.admit(a, now: start + .seconds(10)) == nil)
        #expect(windows.admit(a, now: start + .seconds(10)) != nil)
    }

    @Test func hostScopeCountsEachAPIApartAndEveryRuleMustHaveRoom() {
        let windows = RateLimitWindows(rules: [
            RateLimitRule(scope: .host, limit: 4, window: .seconds(1)),
            RateLimitRule(scope: .partner, limit: 2, window: .seconds(1)),
        ])
        let now = ContinuousClock.now
        let partner = RateLimitWindows.Caller(messaging: false, credential: "pk")
        let token = RateLimitWindows.Caller(messaging: false, credential: "Bearer t")
        #expect(windows.admit(partner, now: now) == nil)
        #expect(windows.admit(partner, now: now) == nil)
        #expect(windows.admit(partner, now: now) != nil, "the partner key's own limit")
        #expect(windows.admit(token, now: now) == nil)
        #expect(windows.admit(token, now: now) == nil)
        #expect(windows.admit(token, now: now) != nil, "the host's limit (4), and the token's (2)")
        for key in ["c1", "c2", "c3", "c4"] { #expect(windows.admit(.init(messaging: true, credential: key), now: now) == nil) }
        #expect(windows.admit(.init(messaging: true, credential: "c5"), now: now) != nil, "the Messaging API's host limit")
    }

    @Test func overHTTPThePartnerAPIAnswers429AndTheMessagingAPIThe400UsageLimit() async throws {
        let rules = [
            RateLimitRule(scope: .partner, limit: 2, window: .seconds(30)), RateLimitRule(scope: .channel, limit: 3, window: .seconds(30)),
        ]
        try await withSandbox(SandboxConfiguration(faults: FaultSettings(rateLimits: rules))) { http in
            var partner: [Int] = []
            for _ in 0..<4 { partner.append(try await http.partner(.GET, "/partners/demoPA").status) }
            #expect(partner == [200, 200, 429, 429])
            let refused = try await http.partner(.GET, "/partners/demoPA")
            #expect((29...30).contains(Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0))
            #expect(refused.httpCode == 429)

            let acme = await http.channelKey("acme02CH"), globex = await http.channelKey("globex01CH")
            var messaging: [Int] = []
            for _ in 0..<5 { messaging.append(try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": acme]).status) }
            #expect(messaging == [200, 200, 200, 400, 400])
            let limited = try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": acme])
            #expect(limited.developerMessage == SandboxVariantMiddleware.usageLimitMessage)
            #expect(limited.headers.first(name: "Retry-After") == nil)
            // Another channel's key has its own allowance.
            #expect(try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": globex]).status == 200)
            let counts = Dictionary(http.sandbox.stats.snapshot().map { ($0.key.status, $0.count) }, uniquingKeysWith: +)
            #expect(counts == [200: 6, 429: 3, 400: 3])
        }
    }
}
