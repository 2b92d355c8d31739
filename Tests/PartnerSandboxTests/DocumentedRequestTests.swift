import Foundation
import Testing
@testable import PartnerSandbox

/// One test per request shown in 360dialog's documentation, answering the documented shape.
@Suite struct DocumentedRequestTests {
    @Test func getPartnerWithAPIKey() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(.GET, "/partners/demoPA")
            #expect(reply.status == 200)
            let json = reply.json
            #expect(json["id"] as? String == "demoPA")
            #expect(json["webhook_url"] as? String == "https://old-hooks.example.com/360/partner")
            #expect(json["partner_redirect_url"] as? String == "https://app.example.com/onboarded")
            #expect(json["settings"] is [String: Any])
            for key in ["brand_name", "country", "allow_client_to_add_phone_no", "payment_required", "blocked_new_submission"] {
                #expect(json[key] != nil, "partner object lacks \(key)")
            }
        }
    }

    @Test func postPartnerWebhookURL() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(
                .POST, "/partners/demoPA/webhook_url", body: #"{"webhook_url": "https://hooks.example.com/360/partner"}"#)
            #expect(reply.status == 200)
            #expect(reply.json["webhook_url"] as? String == "https://hooks.example.com/360/partner")
            let read = try await http.partner(.GET, "/partners/demoPA/webhook_url")
            #expect(read.json["webhook_url"] as? String == "https://hooks.example.com/360/partner")
        }
    }

    @Test func patchPartnerURLs() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(
                .PATCH, "/partners/demoPA",
                body: #"{"webhook_url": "https://a.example.com/hook", "partner_redirect_url": "https://b.example.com/done"}"#)
            #expect(reply.status == 200)
            #expect(reply.json["id"] as? String == "demoPA")
            #expect(reply.json["webhook_url"] as? String == "https://a.example.com/hook")
            #expect(reply.json["partner_redirect_url"] as? String == "https://b.example.com/done")
        }
    }

    @Test func patchPartnerPartialBodyAndDefaultRegion() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(
                .PATCH, "/partners/demoPA", body: #"{"settings": {"default_data_localization_region": "GB"}}"#)
            #expect(reply.status == 200)
            #expect((reply.json["settings"] as? [String: Any])?["default_data_localization_region"] as? String == "GB")
            // Fields not in the body are left alone.
            #expect(reply.json["webhook_url"] as? String == "https://old-hooks.example.com/360/partner")
        }
    }

    @Test func patchDefaultRegionNullRevertsAndAbsentLeavesAlone() async throws {
        try await withSandbox { http in
            _ = try await http.partner(.PATCH, "/partners/demoPA", body: #"{"settings": {"default_data_localization_region": "GB"}}"#)
            let untouched = try await http.partner(.PATCH, "/partners/demoPA", body: #"{"settings": {}}"#)
            #expect(untouched.status == 200)
            #expect(await http.sandbox.store.state.partner.defaultLocalStorage == "GB")
            let reverted = try await http.partner(
                .PATCH, "/partners/demoPA", body: #"{"settings": {"default_data_localization_region": null}}"#)
            #expect(reverted.status == 200)
            #expect(await http.sandbox.store.state.partner.defaultLocalStorage == nil)
            let unknown = try await http.partner(.PATCH, "/partners/demoPA", body: #"{"settings": {"colour": "red"}}"#)
            #expect(unknown.status == 400)
            let badRegion = try await http.partner(
                .PATCH, "/partners/demoPA", body: #"{"settings": {"default_data_localization_region": "XX"}}"#)
            #expect(badRegion.status == 400)
        }
    }

    @Test func postToken() async throws {
        try await withSandbox { http in
            let reply = try await http.send(
                .POST, "/api/v2/token", body: #"{"username": "ops@demo-partner.example", "password": "sbx_demo_password"}"#)
            #expect(reply.status == 200)
            let json = reply.json
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["expires_in"] as? Int == 86_400)
            #expect((json["access_token"] as? String)?.isEmpty == false)
            #expect((json["refresh_token"] as? String)?.isEmpty == false)
        }
    }

    @Test func enableLocalStorage() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(
                .POST, "/partners/demoPA/clients/acmeCL/channels/acme02CH/control/enable_local_storage",
                body: #"{"data_localization_region": "DE"}"#)
            #expect(reply.status == 200)
            let meta = reply.json["meta"] as? [String: Any]
            #expect(meta?["success"] as? Bool == true)
            #expect(meta?["http_code"] as? Int == 200)
            #expect(meta?["developer_message"] as? String == "Local storage setting successfully adjusted.")
            #expect(await http.sandbox.store.state.channels["acme02CH"]?.localStorage == "DE")
        }
    }

    @Test func listChannelsFilteredByID() async throws {
        try await withSandbox { http in
            let filters = #"{"id":"acme01CH"}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let reply = try await http.partner(.GET, "/partners/demoPA/channels?filters=\(filters)")
            #expect(reply.status == 200)
            let json = reply.json
            #expect(json["count"] as? Int == 1)
            #expect(json["total"] as? Int == 1)
            #expect(json["offset"] as? Int == 0)
            #expect(json["limit"] as? Int == 20)
            #expect(json["sort"] as? [String] == ["id"])
            #expect((json["filters"] as? [String: Any])?["id"] as? String == "acme01CH")
            let channel = (json["partner_channels"] as? [[String: Any]])?.first
            #expect(channel?["id"] as? String == "acme01CH")
            #expect(channel?["client_id"] as? String == "acmeCL")
            #expect((channel?["setup_info"] as? [String: Any])?["phone_number"] as? String == "4915110000001")
            #expect((channel?["client"] as? [String: Any])?["name"] as? String == "Acme GmbH")
            #expect((channel?["waba_account"] as? [String: Any])?["id"] as? String == "acmeWA")
            #expect(channel?["data_localization_region"] as? String == "DE")
        }
    }

    @Test func channelWebhookSetAndRead() async throws {
        try await withSandbox { http in
            let key = await http.channelKey("acme03CH")
            let none = try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": key])
            #expect(none.status == 404)
            let set = try await http.send(
                .POST, "/v1/configs/webhook", headers: ["D360-API-KEY": key],
                body: #"{"url": "https://hooks.example.com/wa/acme03CH", "headers": {"X-Secret": "s3"}}"#)
            #expect(set.status == 200)
            #expect(set.json["url"] as? String == "https://hooks.example.com/wa/acme03CH")
            let read = try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": key])
            #expect(read.json["url"] as? String == "https://hooks.example.com/wa/acme03CH")
            #expect((read.json["headers"] as? [String: String]) == ["X-Secret": "s3"])
        }
    }

    @Test func wabaWebhookSetAndRead() async throws {
        try await withSandbox { http in
            let key = await http.channelKey("globex01CH")
            #expect(try await http.send(.GET, "/waba_webhook", headers: ["D360-API-KEY": key]).status == 404)
            let set = try await http.send(
                .POST, "/waba_webhook", headers: ["D360-API-KEY": key],
                body: #"{"url": "https://hooks.example.com/waba", "override_all": true}"#)
            #expect(set.status == 200)
            // Another channel of the same WABA sees it.
            let other = await http.channelKey("globex03CH")
            let read = try await http.send(.GET, "/waba_webhook", headers: ["D360-API-KEY": other])
            #expect(read.json["url"] as? String == "https://hooks.example.com/waba")
            #expect(read.json["override_all"] as? Bool == true)
        }
    }

    @Test func disableLocalStorage() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(
                .POST, "/partners/demoPA/clients/acmeCL/channels/acme01CH/control/disable_local_storage", body: "{}")
            #expect(reply.status == 200)
            #expect(await http.sandbox.store.state.channels["acme01CH"]?.localStorage == nil)
            // The body is the empty JSON object the reference names; no body at all is a wrong payload.
            let bare = try await http.partner(
                .POST, "/partners/demoPA/clients/globexCL/channels/globex01CH/control/disable_local_storage")
            #expect(bare.status == 400)
            #expect(bare.developerMessage?.hasPrefix("Wrong payload") == true)
            #expect(await http.sandbox.store.state.channels["globex01CH"]?.localStorage == "GB")
        }
    }
}
