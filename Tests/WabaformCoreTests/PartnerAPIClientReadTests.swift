import Foundation
import PartnerAPIRules
import PartnerSandbox
import Synchronization
import Testing
@testable import WabaformCore

@Suite("Reading live state from the sandbox")
struct PartnerAPIClientReadTests {
    @Test("reads the demo partner and its 12 channels")
    func demoPartnerAndChannels() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let partner = try await client.partner()
                #expect(
                    partner
                        == LivePartner(
                            id: "demoPA", webhookURL: "https://old-hooks.example.com/360/partner",
                            redirectURL: "https://app.example.com/onboarded", defaultLocalStorage: nil, brandName: "Demo Partner"))

                let channels = try await client.allChannels()
                #expect(channels.count == 12)
                #expect(channels.map(\.id) == channels.map(\.id).sorted())
                let acme = try #require(channels.first { $0.id == "acme01CH" })
                #expect(acme.clientID == "acmeCL")
                #expect(acme.clientName == "Acme GmbH")
                #expect(acme.phoneNumber == "4915110000001")
                #expect(acme.phoneName == "Acme Support")
                #expect(acme.status == "ready")
                #expect(acme.wabaID == "acmeWA")
                #expect(acme.localStorage == .known("DE"))
                #expect(acme.fields["client.name"] == "Acme GmbH")
                #expect(acme.fields["setup_info.phone_number"] == "4915110000001")
                let acme02 = try #require(channels.first { $0.id == "acme02CH" })
                #expect(acme02.localStorage == .known(nil))
                #expect(Harness.count(sandbox, "GET", Harness.channelsRoute) == 1)
            }
        }
    }

    @Test("webhooks are read as pages arrive: the same channels and reads as reading them after the list")
    func webhooksReadAsPagesArrive() async throws {
        let faults = FaultSettings(latencyMilliseconds: 40)
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 2_500, faults: faults)) { sandbox in
            let keys = await Harness.keys(sandbox)
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox, parallelism: 16)) { client in
                // One channel in ten (ids ending in 0 before "CH"), picked channel by channel as
                // planning picks them.
                let selection: @Sendable ([LiveChannel]) -> [String] = { page in
                    page.filter { $0.id.dropLast(2).last == "0" }.map(\.id)
                }
                let listed = Reported()
                let firstWebhookAt = Mutex<Int?>(nil)
                let read = try await client.allChannels(
                    progress: { done, total in listed.add(done, total) }, readingWebhooksOf: selection, keys: keys,
                    webhookProgress: { _, _ in
                        let listedSoFar = listed.last?.0 ?? 0
                        firstWebhookAt.withLock { if $0 == nil { $0 = listedSoFar } }
                    })
                let channels = try await client.allChannels()
                let afterwards = try await client.channelWebhooks(channelIDs: selection(channels), keys: keys)
                #expect(read.channels == channels)
                #expect(read.webhooks == afterwards)
                #expect(read.webhooks.count == selection(channels).count && read.webhooks.count > 200)
                // The first read finished while the list was still arriving (one page of three in).
                let at = try #require(firstWebhookAt.withLock { $0 })
                #expect(at < 2_512, "the first webhook read finished after the whole list (\(at) channels listed)")
                #expect(Harness.count(sandbox, "GET", Harness.webhookRoute) == 2 * read.webhooks.count)
            }
        }
    }

    @Test("a fleet of 2512 channels arrives whole, in ceil(2512/1000) list requests")
    func largeFleet() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 2_500)) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox, parallelism: 4)) { client in
                let reported = Reported()
                let channels = try await client.allChannels { read, total in reported.add(read, total) }
                #expect(channels.count == 2_512)
                #expect(Set(channels.map(\.id)).count == 2_512)
                #expect(channels.map(\.id) == channels.map(\.id).sorted())
                let state = await sandbox.store.state.channels
                #expect(Set(channels.map(\.id)) == Set(state.keys))
                // Local storage comes through as the sandbox holds it, default storage included.
                for channel in channels {
                    #expect(channel.localStorage == .known(state[channel.id]?.localStorage))
                }
                #expect(Harness.count(sandbox, "GET", Harness.channelsRoute) == 3)
                #expect(Harness.count(sandbox, "GET", Harness.channelsRoute, status: 200) == 3)
                #expect(reported.last?.0 == 2_512 && reported.last?.1 == 2_512)
            }
        }
    }

    @Test("reading N channels' webhooks makes exactly one GET /v1/configs/webhook each")
    func webhookRequestEconomy() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 40)) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox, parallelism: 3)) { client in
                let channels = try await client.allChannels()
                let keys = await Harness.keys(sandbox)
                let reads = try await client.channelWebhooks(channelIDs: channels.map(\.id), keys: keys)
                #expect(reads.count == 52)
                #expect(client.concurrency.peak <= 3)
                #expect(Harness.count(sandbox, "GET", Harness.webhookRoute) == 52)

                let state = await sandbox.store.state.channels
                for (id, read) in reads {
                    let record = try #require(state[id])
                    if let webhook = record.webhook {
                        #expect(read == .set(url: webhook.url, headers: (webhook.headers ?? [:]).mapValues(Secret.init)))
                    } else {
                        #expect(read == ChannelWebhookRead.none)
                    }
                }
                #expect(
                    reads["fleet000008CH"]
                        == .set(
                            url: "https://custom8.example.com/hook", headers: ["X-Hook-Secret": Secret("fleet-secret-2")]))
                #expect(reads["fleet000009CH"] == ChannelWebhookRead.none)
            }
        }
    }

    @Test("a missing key leaves the webhook unknown; a rejected key fails that channel only")
    func missingAndRejectedKeys() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let state = await sandbox.store.state.channels
                let keys = ChannelKeys(
                    environment: ["acme02CH": .init(key: Secret("sbx_wrong_channel_key"), source: "WABAFORM_CHANNEL_KEY_acme02CH")],
                    file: ["acme01CH": .init(key: Secret(state["acme01CH"]!.apiKey), source: "keys.json")])
                let reads = try await client.channelWebhooks(channelIDs: ["acme01CH", "acme02CH", "acme03CH"], keys: keys)
                #expect(reads["acme01CH"] == .set(url: "https://hooks.example.com/wa/acme01CH", headers: [:]))
                #expect(reads["acme03CH"] == .missingKey)
                #expect(reads["acme03CH"]?.webhook(channelID: "acme03CH").isKnown == false)
                guard case .rejectedKey(let error)? = reads["acme02CH"] else {
                    Issue.record("expected a rejected key, got \(String(describing: reads["acme02CH"]))")
                    return
                }
                #expect(error.status == 401)
                #expect(
                    error.description.hasPrefix(
                        "GET webhook of channel acme02CH (key from WABAFORM_CHANNEL_KEY_acme02CH) failed: 401 Invalid D360-API-KEY (trace id "
                    ))
                #expect(!error.description.contains("sbx_wrong_channel_key"))
                #expect(Harness.count(sandbox, "GET", Harness.webhookRoute) == 2)
            }
        }
    }

    @Test("writes change the sandbox and read back the same")
    func writes() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                var partner = try await client.updatePartner(defaultLocalStorage: .region("GB"))
                #expect(partner.defaultLocalStorage == "GB")
                #expect(partner.webhookURL == "https://old-hooks.example.com/360/partner")
                partner = try await client.updatePartner(
                    webhookURL: "https://hooks.example.com/360/partner", redirectURL: "https://app.example.com/next")
                #expect(partner.defaultLocalStorage == "GB")
                #expect(partner.redirectURL == "https://app.example.com/next")
                partner = try await client.updatePartner(defaultLocalStorage: .defaultStorage)
                #expect(partner.defaultLocalStorage == nil)
                #expect(try await client.partner() == partner)

                #expect(try await client.setPartnerWebhookURL("https://hooks.example.com/360/p2") == "https://hooks.example.com/360/p2")
                #expect(try await client.partnerWebhookURL() == "https://hooks.example.com/360/p2")

                let key = Secret(await sandbox.store.state.channels["acme03CH"]!.apiKey)
                try await client.setChannelWebhook(
                    channelID: "acme03CH", key: key, url: "https://hooks.example.com/wa/acme03CH",
                    headers: ["X-Hook-Secret": Secret("hook-secret")])
                #expect(
                    try await client.channelWebhook(channelID: "acme03CH", key: key)
                        == .set(
                            url: "https://hooks.example.com/wa/acme03CH", headers: ["X-Hook-Secret": Secret("hook-secret")]))

                try await client.enableLocalStorage(clientID: "acmeCL", channelID: "acme02CH", region: "DE")
                #expect(try await client.channel(id: "acme02CH")?.localStorage == .known("DE"))
                try await client.disableLocalStorage(clientID: "acmeCL", channelID: "acme02CH")
                #expect(try await client.channel(id: "acme02CH")?.localStorage == .known(nil))
                #expect(try await client.channel(id: "nosuchCH") == nil)
            }
        }
    }
}
