import Foundation
import Testing
@testable import PartnerSandbox

@Suite struct AuthTests {
    @Test func missingAndWrongPartnerKeyAre401InTheEnvelope() async throws {
        try await withSandbox { http in
            let missing = try await http.send(.GET, "/api/v2/partners/demoPA")
            #expect(missing.status == 401)
            #expect(missing.httpCode == 401)
            #expect(missing.developerMessage == "Missing credentials: send X-API-Key")
            #expect(missing.traceID?.hasPrefix("sbx-trace-") == true)
            let wrong = try await http.send(.GET, "/api/v2/partners/demoPA", headers: ["X-API-Key": "nope"])
            #expect(wrong.status == 401)
            #expect(wrong.developerMessage == "Invalid API key")
            #expect((wrong.json["meta"] as? [String: Any])?["success"] as? Bool == false)
        }
    }

    @Test func anotherPartnerIs403() async throws {
        try await withSandbox { http in
            let reply = try await http.partner(.GET, "/partners/otherPA")
            #expect(reply.status == 403)
            #expect(reply.developerMessage == "Permission denied for partner otherPA")
            let channels = try await http.partner(.GET, "/partners/otherPA/channels")
            #expect(channels.status == 403)
        }
    }

    @Test(arguments: [
        ("GET", "/partners/demoPA"), ("PATCH", "/partners/demoPA"), ("GET", "/partners/demoPA/webhook_url"),
        ("POST", "/partners/demoPA/webhook_url"), ("GET", "/partners/demoPA/channels"),
        ("POST", "/partners/demoPA/channels/acme01CH/api_keys"),
        ("POST", "/partners/demoPA/clients/acmeCL/channels/acme01CH/control/enable_local_storage"),
        ("POST", "/partners/demoPA/clients/acmeCL/channels/acme01CH/control/disable_local_storage"),
    ])
    func everyPartnerRouteRefusesMissingWrongAndChannelCredentials(method: String, path: String) async throws {
        try await withSandbox { http in
            let channelKey = await http.channelKey("acme01CH")
            for headers in [[:], ["X-API-Key": "wrong"], ["Authorization": "Bearer forged"], ["D360-API-KEY": channelKey]] {
                let reply = try await http.send(.init(rawValue: method), "/api/v2" + path, headers: headers, body: "{}")
                #expect(reply.status == 401, "\(method) \(path) with \(headers.keys.sorted()) answered \(reply.status)")
            }
            #expect(await http.sandbox.store.state.channels["acme01CH"]?.apiKey == channelKey, "nothing changed")
        }
    }

    @Test(arguments: [("GET", "/v1/configs/webhook"), ("POST", "/v1/configs/webhook"), ("GET", "/waba_webhook"), ("POST", "/waba_webhook")])
    func everyMessagingRouteRefusesMissingWrongAndPartnerCredentials(method: String, path: String) async throws {
        try await withSandbox { http in
            for headers in [[:], ["D360-API-KEY": "wrong"], ["X-API-Key": http.sandbox.partnerKey]] {
                let reply = try await http.send(
                    .init(rawValue: method), path, headers: headers, body: #"{"url": "https://x.example.com"}"#)
                #expect(reply.status == 401, "\(method) \(path) with \(headers.keys.sorted()) answered \(reply.status)")
            }
        }
    }

    @Test func bearerTokenWorksAndExpires() async throws {
        try await withSandbox(SandboxConfiguration(tokenLifetime: .milliseconds(400))) { http in
            let token = try await http.send(
                .POST, "/api/v2/token", body: #"{"username": "ops@demo-partner.example", "password": "sbx_demo_password"}"#)
            let access = try #require(token.json["access_token"] as? String)
            let ok = try await http.send(.GET, "/api/v2/partners/demoPA", headers: ["Authorization": "Bearer \(access)"])
            #expect(ok.status == 200)
            try await Task.sleep(for: .milliseconds(600))
            let expired = try await http.send(.GET, "/api/v2/partners/demoPA", headers: ["Authorization": "Bearer \(access)"])
            #expect(expired.status == 401)
            #expect(expired.developerMessage == "Invalid or expired token")
        }
    }

    @Test func wrongPasswordIs401() async throws {
        try await withSandbox { http in
            let reply = try await http.send(
                .POST, "/api/v2/token", body: #"{"username": "ops@demo-partner.example", "password": "guess"}"#)
            #expect(reply.status == 401)
            #expect(reply.developerMessage == "Invalid username or password")
        }
    }

    @Test func aChannelKeyOpensOnlyItsOwnChannel() async throws {
        try await withSandbox { http in
            let acme = await http.channelKey("acme02CH")
            let set = try await http.send(
                .POST, "/v1/configs/webhook", headers: ["D360-API-KEY": acme], body: #"{"url": "https://acme.example.com/new"}"#)
            #expect(set.status == 200)
            let state = await http.sandbox.store.state
            #expect(state.channels["acme02CH"]?.webhook?.url == "https://acme.example.com/new")
            // Every other channel is untouched.
            for (id, channel) in state.channels where id != "acme02CH" {
                #expect(channel.webhook?.url != "https://acme.example.com/new")
            }
            let globex = await http.channelKey("globex01CH")
            let read = try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": globex])
            #expect(read.json["url"] as? String == "https://hooks.example.com/wa/globex01CH")
        }
    }

    @Test func mintingAKeyRevokesThePreviousOne() async throws {
        try await withSandbox { http in
            let old = await http.channelKey("acme01CH")
            let minted = try await http.partner(.POST, "/partners/demoPA/channels/acme01CH/api_keys")
            #expect(minted.status == 201)
            let new = try #require(minted.json["api_key"] as? String)
            #expect(new != old)
            #expect(minted.json["address"] as? String == "4915110000001")
            #expect(try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": old]).status == 401)
            #expect(try await http.send(.GET, "/v1/configs/webhook", headers: ["D360-API-KEY": new]).status == 200)
            let unknown = try await http.partner(.POST, "/partners/demoPA/channels/nopeCH/api_keys")
            #expect(unknown.status == 404)
        }
    }
}
