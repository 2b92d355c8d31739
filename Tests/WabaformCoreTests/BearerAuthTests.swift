import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
@testable import WabaformCore

@Suite("Bearer tokens (deprecated username and password)")
struct BearerAuthTests {
    let credentials = PartnerCredentials.password(
        username: "ops@demo-partner.example", password: Secret("sbx_demo_password"))

    @Test("one token serves many calls, and the deprecation is warned once")
    func oneTokenForManyCalls() async throws {
        let logs = CapturedLogs()
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let configuration = try Harness.configuration(sandbox, credentials: credentials, logger: logs.logger())
            try await PartnerAPIClient.withClient(configuration) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<10 { group.addTask { _ = try await client.partner() } }
                    group.addTask { _ = try await client.allChannels() }
                    try await group.waitForAll()
                }
                #expect(try await client.partner().id == "demoPA")
                #expect(await client.tokensFetched == 1)
            }
            #expect(Harness.count(sandbox, "POST", Harness.tokenRoute) == 1)
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute, status: 200) == 11)
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute, status: 401) == 0)
        }
        let warnings = logs.all.filter { $0.hasPrefix("warning") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("WABAFORM_API_KEY") == true)
    }

    @Test("a token is renewed before it expires, from expires_in")
    func renewsBeforeExpiry() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(tokenLifetime: .seconds(1))) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox, credentials: credentials)) { client in
                _ = try await client.partner()
                try await Task.sleep(for: .milliseconds(1_100))
                _ = try await client.partner()
            }
            #expect(Harness.count(sandbox, "POST", Harness.tokenRoute) == 2)
            // Renewed ahead of time: the API never had to refuse a token.
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute, status: 401) == 0)
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute, status: 200) == 2)
        }
    }

    @Test("a token the API refuses is renewed and the call sent once more")
    func renewsOn401() async throws {
        // The test clock stands still, so the client believes its token is still fresh.
        try await Sandbox.withRunning(SandboxConfiguration(tokenLifetime: .seconds(1))) { sandbox in
            let configuration = try Harness.configuration(sandbox, credentials: credentials, clock: TestClock())
            try await PartnerAPIClient.withClient(configuration) { client in
                _ = try await client.partner()
                try await Task.sleep(for: .milliseconds(1_100))
                #expect(try await client.partner().id == "demoPA")
                #expect(await client.tokensFetched == 2)
            }
            #expect(Harness.count(sandbox, "POST", Harness.tokenRoute) == 2)
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute, status: 401) == 1)
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute, status: 200) == 2)
        }
    }

    @Test("a wrong password is a clear sign-in error without the password")
    func wrongPassword() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let wrong = PartnerCredentials.password(username: "ops@demo-partner.example", password: Secret("not-the-password"))
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox, credentials: wrong)) { client in
                await #expect {
                    _ = try await client.partner()
                } throws: { error in
                    let text = "\(error)"
                    return (error as? APIError)?.status == 401
                        && text.hasPrefix("sign in as ops@demo-partner.example (POST /token) failed: 401 Invalid username or password")
                        && !text.contains("not-the-password")
                }
            }
            #expect(Harness.count(sandbox, "GET", Harness.partnerRoute) == 0)
        }
    }
}
