import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
@testable import WabaformCore

@Suite("Reading live state from the sandbox")
struct PartnerAPIClientReadTests {
    @Test("reads the demo partner and its 12 channels")
    func demoPartnerAndChannels() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let partner = try await client.partner()
                #expect(partner == LivePartner(
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
}
