import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
@testable import WabaformCore

/// Pacing that learns, against the sandbox's real limits and random refusals, counted by the
/// sandbox (never timed: performance is the benchmark's).
@Suite("Pacing: per host and per credential, learned from refusals")
struct PacingTests {
    /// Patient enough that nothing gives up; short waits on the real clock.
    static let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(20), maxDelay: .milliseconds(500), maxThrottledAttempts: 30)

    static func statuses(_ sandbox: RunningSandbox) -> [Int: Int] {
        Dictionary(sandbox.stats.snapshot().map { ($0.key.status, $0.count) }, uniquingKeysWith: +)
    }

    @Test("5% random 429s (Retry-After: 0) are retried without narrowing: requests stay within 1.1x of those needed")
    func randomRefusalsDoNotCollapse() async throws {
        let faults = FaultSettings(latencyMilliseconds: 2, throttleRate: 0.05, retryAfterSeconds: 0, seed: 7)
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 1_500, faults: faults)) { sandbox in
            let configuration = try Harness.configuration(sandbox, parallelism: 32, retryPolicy: Self.policy)
            try await PartnerAPIClient.withClient(configuration) { client in
                let channels = try await client.allChannels()
                let reads = try await client.channelWebhooks(channelIDs: channels.map(\.id), keys: await Harness.keys(sandbox))
                #expect(reads.count == channels.count)
                // Random refusals are not load: the width stays (or is back) at the full 32.
                #expect(client.pacer.refusals.load <= 1, "\(client.pacer.refusals)")
                #expect(client.concurrency.currentLimit >= 31)
            }
            let statuses = Self.statuses(sandbox)
            let needed = statuses.filter { $0.key != 429 }.values.reduce(0, +)
            let sent = statuses.values.reduce(0, +)
            #expect(statuses[429, default: 0] > 0, "the sandbox should have refused some: \(statuses)")
            #expect(Double(sent) <= 1.1 * Double(needed), "\(sent) sent for \(needed) needed: \(statuses)")
        }
    }

    @Test("against channel=20/1s per key, reads of the same keys learn the rate: under 5% refused")
    func perChannelKeyLimitIsLearned() async throws {
        let faults = FaultSettings(rateLimits: [RateLimitRule(scope: .channel, limit: 20, window: .seconds(1))])
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 20, faults: faults)) { sandbox in
            let configuration = try Harness.configuration(sandbox, parallelism: 32, retryPolicy: Self.policy)
            let keys = await Harness.keys(sandbox)
            let ids = await sandbox.store.state.channels.keys.filter { $0.hasPrefix("fleet") }.sorted()
            #expect(ids.count == 20)
            try await PartnerAPIClient.withClient(configuration) { client in
                // 80 reads of each key, all at once: 1,600 requests, 4 s of each key's allowance.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<80 {
                        for id in ids {
                            group.addTask { _ = try await client.channelWebhook(channelID: id, key: keys.key(for: id)!) }
                        }
                    }
                    try await group.waitForAll()
                }
                let learned = ids.compactMap {
                    client.pacer.learnedRate(credential: RequestPacer.identity(of: keys.key(for: $0)!.revealed))
                }
                #expect(learned.count == ids.count, "every key learned its rate")
                #expect(learned.allSatisfy { (15..<30).contains($0) }, "near the limit: \(learned)")
            }
            let statuses = Self.statuses(sandbox)
            let refused = statuses[400, default: 0]
            #expect(statuses[200, default: 0] + statuses[404, default: 0] == 1_600)
            #expect(refused > 0, "the limit should have been met")
            #expect(Double(refused) < 0.05 * Double(refused + 1_600), "\(statuses)")
        }
    }

    @Test("against a host-wide 100/1s usage limit, the host learns the limit: few refused beyond the first burst")
    func hostWideUsageLimitIsLearned() async throws {
        let faults = FaultSettings(latencyMilliseconds: 2, rateLimits: [RateLimitRule(scope: .host, limit: 100, window: .seconds(1))])
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 400, faults: faults)) { sandbox in
            let configuration = try Harness.configuration(sandbox, parallelism: 32, retryPolicy: Self.policy)
            let keys = await Harness.keys(sandbox)
            let ids = await sandbox.store.state.channels.keys.sorted()
            try await PartnerAPIClient.withClient(configuration) { client in
                let reads = try await client.channelWebhooks(channelIDs: ids, keys: keys)
                #expect(reads.count == ids.count)
                let rate = client.pacer.learnedRate(host: ErrorEnvelopeMiddleware.hostAndPort(configuration.endpoints.messagingURL))
                #expect(rate.map { (80..<110).contains($0) } == true, "near the limit: \(String(describing: rate))")
            }
            let statuses = Self.statuses(sandbox)
            let refused = statuses[400, default: 0]
            #expect(refused > 0, "the limit should have been met: \(statuses)")
            // The requests in flight when the first refusal comes back (up to the parallelism)
            // cannot be helped; after it, under 2% (without the host's learned rate: ~12%).
            #expect(Double(refused) < 32 + 0.02 * Double(ids.count), "\(statuses)")
        }
    }

    @Test("usage limits on three quiet keys in a second are the host's: paced at what it let through, held until its window frees")
    func hostLimitPacesAndHoldsTheHost() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(clock: clock)
        // Ten keys accepted once each, 10 ms apart: the host let 10 through in its last second.
        for key in 0..<10 {
            pacer.record(.accepted, host: "h", credential: key)
            clock.advance(by: .milliseconds(10))
        }
        #expect(pacer.learnedRate(host: "h") == nil, "accepted answers alone teach nothing")
        // A random 429 on a quiet key is not the host's limit.
        pacer.record(.refused(retryAfter: .zero), host: "h", credential: 100)
        #expect(pacer.learnedRate(host: "h") == nil)
        // A usage-limit 400 on a key that itself sent in the last second is that key's.
        pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: 9)
        #expect(pacer.learnedRate(host: "h") == nil)
        // On quiet keys: the host's, once three of them are refused within a second (one key
        // alone may be busy elsewhere).
        let slot = try await pacer.acquire(host: "h", credential: 200)
        for key in 200..<202 { pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: key) }
        #expect(pacer.learnedRate(host: "h") == nil)
        pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: 202)
        #expect(pacer.learnedRate(host: "h") == 10 * 0.95)
        #expect(!pacer.isCurrent(slot, host: "h", credential: 200), "a slot taken before the hold is taken again")
        // Held until a second after the oldest accepted answer (at 0 ms; now is 100 ms), then paced.
        try await pacer.acquire(host: "h", credential: 203)
        #expect(clock.sleeps == [.milliseconds(900)])
        try await pacer.acquire(host: "h", credential: 204)
        #expect(clock.sleeps.last == .seconds(1 / (10 * 0.95)))
        // Another host is not held.
        let count = clock.sleeps.count
        try await pacer.acquire(host: "other", credential: 203)
        #expect(clock.sleeps.count == count)
    }

    @Test("usage limits between accepted answers are not the host's; a host limit the host then refuses far under is dropped")
    func hostLimitNeedsARunAndIsDisproved() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(clock: clock)
        // Every fourth answer refused (a key busy elsewhere, a refusal that follows no rate).
        for key in 0..<40 {
            if key % 4 == 3 {
                pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: key)
            } else {
                pacer.record(.accepted, host: "h", credential: key)
            }
            clock.advance(by: .milliseconds(5))
        }
        #expect(pacer.learnedRate(host: "h") == nil)
        // Three in a row: the host's limit (30 accepted in the last second).
        for key in 100..<103 { pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: key) }
        #expect(pacer.learnedRate(host: "h") == 30 * 0.95)
        // Two seconds on, nothing accepted since: a refusal far under the limit disproves it.
        clock.advance(by: .seconds(2))
        pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: 200)
        #expect(pacer.learnedRate(host: "h") == nil)
        let count = clock.sleeps.count
        try await pacer.acquire(host: "h", credential: 201)
        #expect(clock.sleeps.count == count, "the host is no longer paced or held")
        // And not inferred again in this run.
        for key in 300..<306 { pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: key) }
        #expect(pacer.learnedRate(host: "h") == nil)
    }

    @Test("a key that had an answer accepted 0.95 s ago is not quiet, though the one-second buckets weigh it at a tenth")
    func keyQuietnessIsExact() {
        let clock = TestClock()
        let pacer = RequestPacer(clock: clock)
        clock.advance(by: .milliseconds(950))
        pacer.record(.accepted, host: "h", credential: 1)
        clock.advance(by: .milliseconds(950))
        for key in [1, 1, 1] { pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: key) }
        #expect(pacer.learnedRate(credential: 1) != nil, "the key's own limit")
        #expect(pacer.learnedRate(host: "h") == nil, "not the host's")
    }

    @Test("a per-second usage limit holds only its own key: other keys go on at once")
    func usageLimitHoldsOnlyItsKey() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(clock: clock)
        let limited = RequestPacer.identity(of: "key-a"), other = RequestPacer.identity(of: "key-b")
        for _ in 0..<5 { pacer.record(.accepted, host: "h", credential: limited) }
        #expect(pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: limited) == false)
        #expect(pacer.learnedRate(credential: limited) == 5 * 0.95)
        try await pacer.acquire(credential: other)
        #expect(clock.sleeps.isEmpty, "another key is not held")
        try await pacer.acquire(credential: limited)
        #expect(clock.sleeps == [.seconds(1)], "the refused key waits out its second")
        try await pacer.acquire(credential: limited)
        #expect(clock.sleeps.last == .seconds(1 / (5 * 0.95)), "then goes at the learned rate")
        // A 429 with Retry-After: 0 holds nothing, and one refusal is not load.
        try await pacer.acquire(credential: nil)
        #expect(pacer.record(.refused(retryAfter: .zero), host: "h2", credential: other) == false)
        let count = clock.sleeps.count
        try await pacer.acquire(credential: other)
        #expect(clock.sleeps.count == count)
    }

    @Test("two random 429s on a quiet key do not slow it; a third in the same second does, and two usage-limit 400s do")
    func quietKeyIsNotSlowedByChance() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(clock: clock)
        let key = 42
        for _ in 0..<2 { pacer.record(.refused(retryAfter: .zero), host: "h", credential: key) }
        #expect(pacer.learnedRate(credential: key) == nil, "two refusals of a key that sent little are chance")
        try await pacer.acquire(credential: key)
        #expect(clock.sleeps.isEmpty)
        pacer.record(.refused(retryAfter: .zero), host: "h", credential: key)
        #expect(pacer.learnedRate(credential: key) != nil, "three in a second, all refused: load")
        // The usage-limit 400 says "per second for this number": two with nothing accepted are the key's limit.
        let limited = 43
        for _ in 0..<2 { pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: limited) }
        #expect(pacer.learnedRate(credential: limited) != nil)
    }

    @Test("refusals read as load on a host only when many and a large share of the last second")
    func loadIsTellingFromChance() {
        let pacer = RequestPacer(clock: TestClock())
        for _ in 0..<100 { pacer.record(.accepted, host: "h", credential: nil) }
        // 5 in 105: a random background, not load.
        for _ in 0..<5 { #expect(pacer.record(.refused(retryAfter: .zero), host: "h", credential: nil) == false) }
        // Then refusals pile up past a fifth of the answers: load, at the 20th more (25 of 125).
        var loadAt: [Int] = []
        for index in 1...25 where pacer.record(.refused(retryAfter: .seconds(1)), host: "h", credential: nil) { loadAt.append(index) }
        // Then only answers after it count: two refusals with nothing accepted read as load again.
        #expect(loadAt == [20, 22, 24])
        #expect(pacer.refusals.all == 30)
        #expect(pacer.refusals.load == 3)
    }

    @Test("one request with each of 100,000 keys keeps a bounded record of them; a key with a learned rate is never forgotten")
    func credentialRecordsAreBounded() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(clock: clock)
        // A key slowed by its usage limit at the start of the run.
        for _ in 0..<3 { pacer.record(.accepted, host: "h", credential: -1) }
        pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: -1)
        let learned = try #require(pacer.learnedRate(credential: -1))
        // Then 100,000 keys, 1,000 a second, each accepted once.
        var most = 0
        for key in 0..<100_000 {
            if key % 100 == 0 { clock.advance(by: .milliseconds(100)) }
            pacer.record(.accepted, host: "h", credential: key)
            most = max(most, pacer.credentialsRecorded)
        }
        #expect(most <= 2 * RequestPacer.credentialsKept + 1, "at most the keys of the last few seconds, not every key: \(most)")
        #expect(pacer.learnedRate(credential: -1) == learned)
        // A key answered within the last second is still known as busy: its usage limit is its own.
        pacer.record(.refused(retryAfter: nil, perSecond: true), host: "h", credential: 99_999)
        #expect(pacer.learnedRate(credential: 99_999) != nil)
        #expect(pacer.learnedRate(host: "h") == nil)
    }
}
