import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
@testable import WabaformCore

@Suite("Errors for the user")
struct ErrorReportingTests {
    @Test("a wrong partner key is a 401 naming the operation, and the key appears nowhere")
    func wrongPartnerKey() async throws {
        let logs = CapturedLogs()
        let wrongKey = "sbx_pk_WRONG_partner_key_4242"
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let configuration = try Harness.configuration(
                sandbox, credentials: .apiKey(Secret(wrongKey)), logger: logs.logger())
            try await PartnerAPIClient.withClient(configuration) { client in
                let error = await #expect(throws: APIError.self) { _ = try await client.partner() }
                #expect(error?.status == 401)
                #expect(error?.description.hasPrefix("GET partner demoPA failed: 401 Invalid API key (trace id sbx-") == true)
                #expect(error.map { !"\($0)".contains(wrongKey) && !String(reflecting: $0).contains(wrongKey) } == true)
                await #expect(throws: APIError.self) { _ = try await client.allChannels() }
            }
        }
        #expect(!logs.all.joined().contains(wrongKey))
    }

    @Test("no secret appears in any error or log, failing or not")
    func secretsNeverShown() async throws {
        let logs = CapturedLogs()
        let faults = FaultSettings(failRate: 0.3, retryAfterSeconds: 0, seed: 7)
        try await Sandbox.withRunning(SandboxConfiguration(faults: faults)) { sandbox in
            let state = await sandbox.store.state
            let secrets =
                [state.partner.apiKey, state.partner.password, "sbx_bad_channel_key_777", "header-secret-31337"]
                + state.channels.values.map(\.apiKey)
            var descriptions: [String] = []
            let configuration = try Harness.configuration(sandbox, logger: logs.logger())
            try await PartnerAPIClient.withClient(configuration) { client in
                let key = Secret(state.channels["acme01CH"]!.apiKey)
                // 400: a webhook URL the API refuses, with a secret header.
                do {
                    try await client.setChannelWebhook(
                        channelID: "acme01CH", key: key, url: "http://insecure.example.com",
                        headers: ["X-Hook-Secret": Secret("header-secret-31337")])
                    Issue.record("expected a 400")
                } catch let error as APIError {
                    #expect(error.status == 400)
                    descriptions.append("\(error)")
                    descriptions.append(String(reflecting: error))
                }
                // 400: a region the API does not know.
                do {
                    try await client.enableLocalStorage(clientID: "acmeCL", channelID: "acme01CH", region: "XX")
                    Issue.record("expected a 400")
                } catch let error as APIError {
                    #expect(error.status == 400)
                    #expect(error.description.hasPrefix("enable local storage XX for channel acme01CH failed: 400 "))
                    descriptions.append("\(error)")
                }
                // 404: a channel of another client.
                do {
                    try await client.disableLocalStorage(clientID: "globexCL", channelID: "acme01CH")
                    Issue.record("expected a 404")
                } catch let error as APIError {
                    #expect(error.status == 404)
                    descriptions.append("\(error)")
                }
                // A rejected channel key.
                let read = try await client.channelWebhook(channelID: "acme01CH", key: Secret("sbx_bad_channel_key_777"))
                descriptions.append("\(read)")
                descriptions.append(String(reflecting: read))
                // Successful reads, logged retries included.
                let reads = try await client.channelWebhooks(
                    channelIDs: Array(state.channels.keys), keys: await Harness.keys(sandbox))
                descriptions.append("\(reads)")
                descriptions.append("\(configuration.credentials)")
            }
            #expect(!logs.all.isEmpty, "the fault rate should have caused logged retries")
            let everything = (descriptions + logs.all).joined(separator: "\n")
            for secret in secrets {
                #expect(!everything.contains(secret), "a secret leaked")
            }
        }
    }

    @Test("an unreachable API is a clear error within the timeout")
    func unreachable() async throws {
        // A port the sandbox just released: nothing listens there any more.
        let closed = try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in sandbox.port }
        let endpoints = try Endpoints.resolve(
            apiURL: "http://127.0.0.1:\(closed)/api/v2", messagingURL: "http://127.0.0.1:\(closed)", environment: [:])
        let configuration = PartnerAPIClient.Configuration(
            endpoints: endpoints, credentials: .apiKey(Secret("sbx_pk_demo_partner_key")), partnerID: "demoPA",
            timeout: .seconds(2), clock: TestClock())
        let started = ContinuousClock.now
        try await PartnerAPIClient.withClient(configuration) { client in
            let error = await #expect(throws: APIConnectionError.self) { _ = try await client.partner() }
            #expect(error?.description == "GET partner demoPA failed: cannot connect to 127.0.0.1:\(closed) (connection refused)")
        }
        // A bound against hanging, not a timing: the connect timeout is 2 s.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("an API that does not answer in time is reported with the timeout, after retrying")
    func timeout() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(faults: FaultSettings(latencyMilliseconds: 3_000))) { sandbox in
            let configuration = try Harness.configuration(
                sandbox, timeout: .milliseconds(700), retryPolicy: RetryPolicy(maxAttempts: 2), clock: TestClock())
            let started = ContinuousClock.now
            try await PartnerAPIClient.withClient(configuration) { client in
                let error = await #expect(throws: APIConnectionError.self) { _ = try await client.partner() }
                #expect(
                    error?.description
                        == "GET partner demoPA failed: no answer from 127.0.0.1:\(sandbox.port) within 700 ms after 2 attempts")
            }
            // Without the timeout, two attempts would wait out the 3 s latency twice.
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }
}
