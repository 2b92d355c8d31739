import Foundation
import PartnerAPIRules
import Testing
import WabaformConfig
@testable import WabaformCore

@Suite struct SavedPlanTests {
    typealias F = PlannerFixtures

    @Test func holdsDigestsNeverSecrets() throws {
        let digester = Digester(salt: "fixed-salt")
        let saved = SavedPlan(
            plan: SamplePlans.everything, digester: digester, configDigest: "sha256:x", configFiles: ["wabaform.yaml"],
            apiURL: "http://127.0.0.1:1/api/v2", messagingURL: "http://127.0.0.1:1", wabaformVersion: "test")
        let text = String(decoding: try saved.encoded(), as: UTF8.self)
        #expect(!text.contains("super-secret"))
        #expect(text.contains("\"live_digest\" : \"sha256:"))
        #expect(try SavedPlan.decode(saved.encoded()) == saved)
    }

    @Test func aChangedSecretChangesTheDigest() {
        let digester = Digester.random()
        let a = PlanValue.webhook(url: "https://h.example.com", headers: [WebhookHeader(name: "X", value: Secret("one"))])
        let b = PlanValue.webhook(url: "https://h.example.com", headers: [WebhookHeader(name: "X", value: Secret("two"))])
        let c = PlanValue.webhook(url: "HTTPS://H.example.com", headers: [WebhookHeader(name: "x", value: Secret("one"))])
        #expect(digester.digest(a) != digester.digest(b))
        #expect(digester.digest(a) == digester.digest(c), "normalised values digest alike")
        #expect(Digester(salt: "1").digest(a) != Digester(salt: "2").digest(a), "salted")
    }

    @Test func configDigestFollowsValuesNotFormatting() throws {
        let one = try F.config(
            "version: 1\npartner: {id: p}\nchannels:\n  - select: all\n    webhook:\n      url: https://h.example.com/{channel_id}\n      headers: {X: \"${S}\"}\n",
            environment: ["S": "a"])
        let reformatted = try F.config(
            "# comment\nversion: 1\npartner:\n  id: p\nchannels:\n- select: all\n  webhook: {url: \"https://h.example.com/{channel_id}\", headers: {X: \"${S}\"}}\n",
            environment: ["S": "a"])
        let otherSecret = try F.config(
            "version: 1\npartner: {id: p}\nchannels:\n  - select: all\n    webhook:\n      url: https://h.example.com/{channel_id}\n      headers: {X: \"${S}\"}\n",
            environment: ["S": "b"])
        let digester = Digester(salt: "s")
        #expect(digester.digest(one, partnerID: "p") == digester.digest(reformatted, partnerID: "p"))
        #expect(digester.digest(one, partnerID: "p") != digester.digest(otherSecret, partnerID: "p"))
    }
}
