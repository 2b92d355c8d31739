import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
@testable import WabaformCore

/// The client against each alternative shape of the sandbox, read by read.
@Suite("Reading the API's alternative shapes")
struct VariantReadTests {
    static let unsetShapes: [Set<SandboxVariant>] = [
        [], [.webhookUnsetEmptyObject], [.webhookUnsetEmptyURL], [.webhookUnsetNullURL], [.webhookNullHeaders],
        [.webhookExtraFields], [.webhookUnsetNullURL, .webhookNullHeaders, .webhookExtraFields],
    ]

    @Test("\"no webhook\" in every shape reads as none; a set webhook reads the same", arguments: unsetShapes)
    func webhookShapes(variants: Set<SandboxVariant>) async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: variants)) { sandbox in
            let channels = await sandbox.store.state.channels
            let unset = channels.values.filter { $0.webhook == nil && $0.keyPublished != false }.map(\.id).min()
            let headed = channels.values.filter { $0.webhook?.headers?.isEmpty == false }.map(\.id).min()
            let bare = channels.values.filter { $0.webhook != nil && $0.webhook?.headers == nil }.map(\.id).min()
            let without = try #require(unset)
            let withHeaders = try #require(headed)
            let withoutHeaders = try #require(bare)
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let reads = try await client.channelWebhooks(
                    channelIDs: [without, withHeaders, withoutHeaders], keys: await Harness.keys(sandbox))
                #expect(reads[without] == ChannelWebhookRead.none, "\(reads[without].map { "\($0)" } ?? "")")
                let hook = try #require(channels[withHeaders]?.webhook)
                #expect(reads[withHeaders] == .set(url: hook.url, headers: (hook.headers ?? [:]).mapValues { Secret($0) }))
                let plain = try #require(channels[withoutHeaders]?.webhook)
                #expect(reads[withoutHeaders] == .set(url: plain.url, headers: [:]))
            }
        }
    }

    @Test("the lean token answer signs in, and is used until a 401")
    func leanToken() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: [.leanToken])) { sandbox in
            let partner = await sandbox.store.state.partner
            let configuration = try Harness.configuration(
                sandbox, credentials: .password(username: partner.username, password: Secret(partner.password)))
            try await PartnerAPIClient.withClient(configuration) { client in
                let read = try await client.partner()
                let channels = try await client.allChannels()
                #expect(read.id == partner.id)
                #expect(channels.count == 12)
                #expect(await client.tokensFetched == 1)
            }
        }
    }

    @Test("POST webhook_url answering the whole partner object")
    func partnerObjectAnswer() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: [.webhookURLAnswersPartner])) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let echoed = try await client.setPartnerWebhookURL("https://hooks.example.com/p/v2")
                let read = try await client.partnerWebhookURL()
                #expect(echoed == "https://hooks.example.com/p/v2")
                #expect(read == "https://hooks.example.com/p/v2")
            }
        }
    }

    @Test("the 400 usage limit is waited out and counted as throttling")
    func usageLimit() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: [.usageLimit400])) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let keys = await Harness.keys(sandbox)
                let ids = await Array(sandbox.store.state.channels.keys)
                let reads = try await client.channelWebhooks(channelIDs: ids, keys: keys)
                let unread = reads.filter { id, read in
                    if case .set = read { return false }
                    return read != ChannelWebhookRead.none
                }
                #expect(unread.isEmpty, "\(unread)")
                let refused = Harness.count(sandbox, "GET", Harness.webhookRoute, status: 400)
                #expect(refused >= 2)
                #expect(client.throttled == refused)
            }
        }
    }

    /// The usage-limit 400 is answered before the sandbox reads the request body, as a gateway
    /// would. The client once streamed bodies from another task and then sometimes failed such
    /// a write with `bodyLengthMismatch` instead of seeing the 400 (3 runs in 10 of the variant
    /// matrix, `VariantMatrixTests`, which is what reproduces the race; this test alone did not
    /// reproduce it in 15 runs): every write here must end as the server's answer.
    @Test("a write answered before its body is read gets the server's answer, every time")
    func earlyAnswer() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: [.usageLimit400])) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox, retryPolicy: .never)) { client in
                let keys = await Harness.keys(sandbox)
                let ids = keys.channelIDs
                let refused = try await withThrowingTaskGroup(of: Int.self) { group in
                    for (index, id) in (0..<4).flatMap({ _ in ids }).enumerated() {
                        let key = try #require(keys.key(for: id))
                        group.addTask {
                            do {
                                try await client.setChannelWebhook(
                                    channelID: id, key: key, url: "https://hooks.example.com/early/\(index)")
                                return 0
                            } catch let error as APIError {
                                #expect(error.isUsageLimit, "\(error)")
                                return 1
                            }
                        }
                    }
                    return try await group.reduce(0, +)
                }
                let answered400 = Harness.count(sandbox, "POST", Harness.webhookRoute, status: 400)
                #expect(answered400 >= 10)
                #expect(refused == answered400)
            }
        }
    }

    @Test("the Messaging API's {\"error\": …} 401 names the refused key's message")
    func errorString() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: [.messagingErrorString])) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let read = try await client.channelWebhook(channelID: "acme01CH", key: Secret("not-a-key"))
                guard case .rejectedKey(let error) = read else {
                    Issue.record("expected a rejected key, got \(read)")
                    return
                }
                #expect(error.status == 401)
                #expect(error.developerMessage == "Invalid D360-API-KEY")
            }
        }
    }

    @Test("rich channel objects read whole, with their real statuses")
    func richChannels() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 30, variants: [.richChannels])) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let channels = try await client.allChannels()
                #expect(channels.count == 42)
                let statuses = Set(channels.map { $0.status ?? "(missing)" })
                #expect(statuses.contains("imported") && statuses.contains("(missing)"), "\(statuses)")
                let unknown = channels.filter { !$0.localStorage.isKnown }.map(\.id)
                #expect(unknown.isEmpty)
            }
        }
    }

    @Test("a write applied and answered 500 is not sent blindly again, and converges")
    func writeAppliedThen500() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: [.writeAppliedThen500])) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let entry = await Harness.keys(sandbox).entry(for: "acme02CH")
                let key = try #require(entry).key
                try await client.setChannelWebhook(channelID: "acme02CH", key: key, url: "https://hooks.example.com/w/acme02CH")
                #expect(await sandbox.store.channel(id: "acme02CH")?.webhook?.url == "https://hooks.example.com/w/acme02CH")
            }
        }
    }
}
