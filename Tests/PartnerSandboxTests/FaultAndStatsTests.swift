import AsyncHTTPClient
import Foundation
import Testing
@testable import PartnerSandbox

@Suite struct FaultAndStatsTests {
    @Test func statsCountRequestsPerRouteTemplate() async throws {
        try await withSandbox { http in
            _ = try await http.partner(.GET, "/partners/demoPA")
            _ = try await http.partner(.GET, "/partners/demoPA")
            _ = try await http.partner(.GET, "/partners/demoPA/channels")
            _ = try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": "nope"])
            let stats = try await http.send(.GET, "/_sandbox/stats")
            #expect(stats.status == 200)
            #expect(
                stats.body
                    == #"{"requests":[{"count":2,"method":"GET","route":"/api/v2/partners/{partner_id}","status":200},{"count":1,"method":"GET","route":"/api/v2/partners/{partner_id}/channels","status":200},{"count":1,"method":"GET","route":"/v1/configs/webhook","status":401}],"local_storage_calls":[]}"#
            )
            #expect(try await http.send(.DELETE, "/_sandbox/stats").status == 204)
            #expect(try await http.send(.GET, "/_sandbox/stats").body == #"{"requests":[],"local_storage_calls":[]}"#)
        }
    }

    @Test func throttleAnswers429WithRetryAfterAndChangesNothing() async throws {
        try await withSandbox(SandboxConfiguration(faults: FaultSettings(throttleRate: 1, retryAfterSeconds: 7))) { http in
            let reply = try await http.partner(.POST, "/partners/demoPA/webhook_url", body: #"{"webhook_url": "https://x.example.com"}"#)
            #expect(reply.status == 429)
            #expect(reply.headers.first(name: "Retry-After") == "7")
            #expect(reply.httpCode == 429)
            #expect(await http.sandbox.store.state.partner.webhookURL == "https://old-hooks.example.com/360/partner")
            #expect(http.sandbox.stats.snapshot().map(\.key.status) == [429])
        }
    }

    @Test func rateLimitAnswers429BeyondTheBucketWithTheWait() async throws {
        try await withSandbox(SandboxConfiguration(faults: FaultSettings(rateLimit: 5))) { http in
            var statuses: [Int] = []
            var waits: [String] = []
            for _ in 0..<15 {
                let reply = try await http.partner(.GET, "/partners/demoPA")
                statuses.append(reply.status)
                if reply.status == 429 { waits.append(reply.headers.first(name: "Retry-After") ?? "") }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == 200 }, "a second's worth of requests passes: \(statuses)")
            #expect(statuses.contains(429))
            #expect(waits.allSatisfy { (Int($0) ?? 0) >= 1 })
        }
    }

    @Test func failRateAnswers503() async throws {
        try await withSandbox(SandboxConfiguration(faults: FaultSettings(failRate: 1))) { http in
            let reply = try await http.partner(.GET, "/partners/demoPA")
            #expect(reply.status == 503)
            #expect(reply.developerMessage == "Service temporarily unavailable (sandbox fault)")
            // The stats endpoint itself is never faulted.
            #expect(try await http.send(.GET, "/_sandbox/stats").status == 200)
        }
    }

    @Test func dropClosesTheConnectionWithoutAnAnswer() async throws {
        try await withSandbox(SandboxConfiguration(faults: FaultSettings(dropRate: 1))) { http in
            await #expect(throws: (any Error).self) {
                _ = try await http.partner(.GET, "/partners/demoPA")
            }
            #expect(http.sandbox.stats.snapshot().first?.key.status == 0)
        }
    }

    @Test func faultRatesAreRoughlyAsConfiguredAndReproducible() async throws {
        let settings = FaultSettings(failRate: 0.2, throttleRate: 0.3, dropRate: 0.1, seed: 42)
        let first = FaultInjector(settings: settings)
        let second = FaultInjector(settings: settings)
        var outcomes: [FaultDecision.Outcome: Int] = [:]
        for _ in 0..<10_000 {
            let decision = first.decide()
            #expect(decision == second.decide())
            outcomes[decision.outcome, default: 0] += 1
        }
        #expect((1_800...2_200).contains(outcomes[.fail] ?? 0))
        #expect((2_700...3_300).contains(outcomes[.throttle] ?? 0))
        #expect((800...1_200).contains((outcomes[.dropBeforeHandling] ?? 0) + (outcomes[.dropAfterHandling] ?? 0)))
    }

    @Test(arguments: [
        FaultSettings(failRate: 1.5), FaultSettings(throttleRate: -0.1), FaultSettings(failRate: 0.6, throttleRate: 0.6),
        FaultSettings(latencyMilliseconds: -1),
    ])
    func invalidFaultSettingsRefuseToStart(settings: FaultSettings) async throws {
        await #expect(throws: Sandbox.StartFailure.self) {
            try await Sandbox.withRunning(SandboxConfiguration(faults: settings)) { _ in }
        }
    }

    /// Local storage calls that reach the handler are counted per channel; one asking for
    /// the state the channel is already in is redundant. Refused calls never reach it.
    @Test func localStorageCallsAreCountedPerChannelWithTheRedundantOnes() async throws {
        try await withSandbox { http in
            let base = "/partners/demoPA/clients/acmeCL/channels/acme01CH/control/"
            let before = await http.sandbox.store.state.channels["acme01CH"]?.localStorage
            let region = before == "GB" ? "DE" : "GB"
            #expect(
                try await http.partner(.POST, base + "enable_local_storage", body: #"{"data_localization_region": "\#(region)"}"#).status
                    == 200)
            #expect(
                try await http.partner(.POST, base + "enable_local_storage", body: #"{"data_localization_region": "\#(region)"}"#).status
                    == 200)
            #expect(try await http.partner(.POST, base + "disable_local_storage", body: "{}").status == 200)
            // Wrong client: refused before the channel is touched, so not counted.
            #expect(
                try await http.partner(
                    .POST, "/partners/demoPA/clients/globexCL/channels/acme01CH/control/disable_local_storage", body: "{}"
                ).status == 404)
            let calls = http.sandbox.stats.localStorageCalls()
            #expect(calls == ["acme01CH": .init(calls: 3, redundant: 1)])
            #expect(calls["acme01CH"]?.effective == 2)
            let stats = try await http.send(.GET, "/_sandbox/stats")
            #expect(stats.body.hasSuffix(#""local_storage_calls":[{"calls":3,"channel_id":"acme01CH","redundant":1}]}"#), "\(stats.body)")
        }
    }
}
