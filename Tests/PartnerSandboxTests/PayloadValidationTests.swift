import Foundation
import Testing
@testable import PartnerSandbox

@Suite struct PayloadValidationTests {
    @Test(arguments: [
        (#"{"url": "http://hooks.example.com/x"}"#, "Invalid url: URL must use https, not http"),
        (
            #"{"url": "https://my_hooks.example.com/x"}"#,
            #"Invalid url: URL host "my_hooks.example.com" contains "_", which 360dialog rejects; use "-" instead"#
        ),
        (
            #"{"url": "https://sub.example.com:3000/x"}"#,
            "Invalid url: URL has an explicit port (:3000), which 360dialog rejects; serve it on 443 and drop the port"
        ),
        (#"{"url": "not a url"}"#, "Invalid url: URL is not a valid URL; write it as https://host/path"),
    ])
    func badWebhookURLsAre400(body: String, message: String) async throws {
        try await withSandbox { http in
            let key = await http.channelKey("acme02CH")
            let reply = try await http.send(.POST, "/v1/configs/webhook", headers: ["D360-API-KEY": key], body: body)
            #expect(reply.status == 400)
            #expect(reply.developerMessage == message)
            #expect(await http.sandbox.store.state.channels["acme02CH"]?.webhook?.url == "https://legacy.example.com/acme-sales")
        }
    }

    @Test func badPartnerURLsAre400() async throws {
        try await withSandbox { http in
            let webhook = try await http.partner(.POST, "/partners/demoPA/webhook_url", body: #"{"webhook_url": "http://x.example.com"}"#)
            #expect(webhook.status == 400)
            let patch = try await http.partner(.PATCH, "/partners/demoPA", body: #"{"partner_redirect_url": "ftp://x.example.com"}"#)
            #expect(patch.status == 400)
            #expect(await http.sandbox.store.state.partner.redirectURL == "https://app.example.com/onboarded")
        }
    }

    @Test(arguments: ["XX", "de", "", "EU"])
    func badRegionsAre400(region: String) async throws {
        try await withSandbox { http in
            let reply = try await http.partner(
                .POST, "/partners/demoPA/clients/acmeCL/channels/acme02CH/control/enable_local_storage",
                body: #"{"data_localization_region": "\#(region)"}"#)
            #expect(reply.status == 400)
            #expect(reply.developerMessage?.contains("expected one of AU, BH, BR, CA, CH, DE, GB, ID, IN, JP, KR, SG, ZA") == true)
            #expect(await http.sandbox.store.state.channels["acme02CH"]?.localStorage == nil)
        }
    }

    @Test(arguments: [
        ("/partners/demoPA/webhook_url", "POST", #"{"webhook": "https://x.example.com"}"#),
        ("/partners/demoPA/webhook_url", "POST", "{not json"),
        ("/partners/demoPA", "PATCH", #"{"webhook_url": 42}"#),
        ("/partners/demoPA", "PATCH", #"{"brand_name": "Evil"}"#),
        ("/partners/demoPA/clients/acmeCL/channels/acme02CH/control/enable_local_storage", "POST", "{}"),
    ])
    func wrongPayloadsAre400(path: String, method: String, body: String) async throws {
        try await withSandbox { http in
            let before = await http.sandbox.store.state
            let reply = try await http.partner(.init(rawValue: method), path, body: body)
            #expect(reply.status == 400, "\(reply.body)")
            #expect(reply.developerMessage?.hasPrefix("Wrong payload") == true, "\(reply.body)")
            #expect(await http.sandbox.store.state == before)
        }
    }

    @Test func channelOfAnotherClientIs404() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(
                .POST, "/partners/demoPA/clients/globexCL/channels/acme02CH/control/enable_local_storage",
                body: #"{"data_localization_region": "DE"}"#)
            #expect(reply.status == 404)
            #expect(reply.developerMessage == "Channel acme02CH of client globexCL not found")
        }
    }

    @Test func unknownRoutesAre404InTheEnvelope() async throws {
        try await withSandbox { http in
            let reply = try await http.send(.GET, "/api/v2/partners/demoPA/nothing-here")
            #expect(reply.status == 404)
            #expect(reply.developerMessage == "No route for GET /api/v2/partners/demoPA/nothing-here")
        }
    }
}
