import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
@testable import WabaformCore

@Suite("Faults: retries still give exactly the right data")
struct FaultToleranceTests {
    /// Many attempts, on a clock that never sleeps: the faults are random, the data must not be.
    static let patient = RetryPolicy(maxAttempts: 25, baseDelay: .milliseconds(100), maxDelay: .seconds(5))

    static let faults: [(String, FaultSettings)] = [
        ("20% 503 and 20% 429", FaultSettings(failRate: 0.2, throttleRate: 0.2, retryAfterSeconds: 0, seed: 11)),
        ("10% dropped connections", FaultSettings(dropRate: 0.1, seed: 12)),
    ]

    @Test("all channels and all webhooks read correctly despite faults", arguments: faults)
    func readsThroughFaults(name: String, faults: FaultSettings) async throws {
        let clock = TestClock()
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 2_500, faults: faults)) { sandbox in
            let configuration = try Harness.configuration(sandbox, retryPolicy: Self.patient, clock: clock)
            try await PartnerAPIClient.withClient(configuration) { client in
                let channels = try await client.allChannels()
                let reads = try await client.channelWebhooks(
                    channelIDs: channels.map(\.id), keys: await Harness.keys(sandbox))
                let partner = try await client.partner()

                let state = await sandbox.store.state
                #expect(partner.webhookURL == state.partner.webhookURL)
                #expect(channels.map(\.id) == state.channels.keys.sorted())
                var wrong = 0
                for channel in channels {
                    let record = state.channels[channel.id]!
                    let expected: ChannelWebhookRead =
                        record.webhook.map {
                            .set(url: $0.url, headers: ($0.headers ?? [:]).mapValues(Secret.init))
                        } ?? .none
                    if reads[channel.id] != expected || channel.localStorage != .known(record.localStorage) { wrong += 1 }
                }
                #expect(wrong == 0)
            }
            let failures = sandbox.stats.snapshot().filter { $0.key.status != 200 && $0.key.status != 404 }
            #expect(!failures.isEmpty, "the sandbox should have injected faults")
            #expect(!clock.sleeps.isEmpty, "the client should have backed off")
        }
    }

    @Test("a 429 with Retry-After: 3 waits at least 3 s on the injected clock, then gives up with the status")
    func retryAfterFromTheSandbox() async throws {
        let clock = TestClock()
        let faults = FaultSettings(throttleRate: 1, retryAfterSeconds: 3)
        try await Sandbox.withRunning(SandboxConfiguration(faults: faults)) { sandbox in
            let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100))
            let configuration = try Harness.configuration(sandbox, retryPolicy: policy, clock: clock)
            try await PartnerAPIClient.withClient(configuration) { client in
                let error = await #expect(throws: APIError.self) { _ = try await client.partner() }
                #expect(error?.status == 429)
                #expect(error?.attempts == 3)
                #expect(error?.description.hasPrefix("GET partner demoPA failed: 429 Too many requests (sandbox fault) (trace id ") == true)
            }
            #expect(clock.sleeps.count == 2)
            #expect(clock.sleeps.allSatisfy { $0 >= .seconds(3) })
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute, status: 429) == 3)
        }
    }

    @Test("cancelling a read stops it at once: cancellation is never retried")
    func cancellationStops() async throws {
        let faults = FaultSettings(latencyMilliseconds: 2_000)
        try await Sandbox.withRunning(SandboxConfiguration(faults: faults)) { sandbox in
            let configuration = try Harness.configuration(sandbox, retryPolicy: Self.patient, clock: TestClock())
            try await PartnerAPIClient.withClient(configuration) { client in
                let read = Task { try await client.allChannels() }
                try await Task.sleep(for: .milliseconds(200))
                read.cancel()
                // Ignoring cancellation, the read would succeed once the 2 s latency passed.
                await #expect(throws: CancellationError.self) { _ = try await read.value }
                #expect(client.concurrency.inUse == 0)
            }
            // The one request sent was not sent again.
            try await Task.sleep(for: .milliseconds(2_100))
            #expect(Harness.count(sandbox, "GET", Harness.channelsRoute) <= 1)
        }
    }
}
