import Foundation
import NIOHTTP1
import Testing
import Yams
@testable import PartnerSandbox

/// Access control derived from the contract itself, so a route added to
/// schemas/partner-api.openapi.yaml cannot be forgotten here (AuthTests lists them by hand).
@Suite struct AccessControlTests {
    struct Route: Sendable, CustomStringConvertible {
        var method: String
        var template: String
        var tag: String
        var isPublic: Bool
        var description: String { "\(method) \(template)" }

        /// A concrete path on the demo seed, under the family's prefix.
        var path: String {
            let filled = template.replacingOccurrences(of: "{partner_id}", with: "demoPA")
                .replacingOccurrences(of: "{client_id}", with: "acmeCL")
                .replacingOccurrences(of: "{channel_id}", with: "acme01CH")
            return (tag == "partner" ? "/api/v2" : "") + filled
        }
    }

    static let contractPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/partner-api.openapi.yaml").path

    /// Every operation of the contract.
    static func routes() throws -> [Route] {
        let text = try String(contentsOfFile: contractPath, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var routes: [Route] = []
        for (template, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for method in ["get", "put", "post", "patch", "delete"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                let tag = (operation["tags"] as? [String])?.first ?? "?"
                let isPublic = (operation["security"] as? [Any])?.isEmpty == true
                routes.append(Route(method: method.uppercased(), template: template, tag: tag, isPublic: isPublic))
            }
        }
        return routes.sorted { ($0.template, $0.method) < ($1.template, $1.method) }
    }

    @Test func theContractHasTheRoutesThisSuiteExpects() throws {
        let routes = try Self.routes()
        #expect(routes.count >= 12, "\(routes)")
        #expect(Set(routes.map(\.tag)) == ["partner", "messaging"])
        #expect(routes.filter(\.isPublic).map(\.description) == ["POST /token"], "only sign-in is public")
    }

    @Test func everyContractRouteRefusesMissingWrongAndOtherFamilyCredentials() async throws {
        let routes = try Self.routes().filter { !$0.isPublic }
        try await withSandbox { http in
            let channelKey = await http.channelKey("acme01CH")
            let before = await http.sandbox.store.state
            for route in routes {
                let attempts: [[String: String]] =
                    route.tag == "partner"
                    ? [[:], ["X-API-Key": "wrong"], ["Authorization": "Bearer forged"], ["D360-API-KEY": channelKey]]
                    : [[:], ["D360-API-KEY": "wrong"], ["X-API-Key": http.sandbox.partnerKey], ["Authorization": "Bearer forged"]]
                for headers in attempts {
                    let reply = try await http.send(
                        HTTPMethod(rawValue: route.method), route.path, headers: headers,
                        body:
                            #"{"url": "https://x.example.com/h", "webhook_url": "https://x.example.com/h", "data_localization_region": "DE"}"#
                    )
                    #expect(reply.status == 401, "\(route) with \(headers.keys.sorted()) answered \(reply.status)")
                    #expect(reply.httpCode == 401, "\(route): the refusal is in the error envelope")
                }
            }
            #expect(await http.sandbox.store.state == before, "no refused request changed anything")
        }
    }

    /// A channel's key reaches only its own channel (and its own WABA's webhook) through
    /// every messaging route of the contract that writes.
    @Test func aChannelKeyCannotChangeAnotherChannelThroughAnyMessagingRoute() async throws {
        let writes = try Self.routes().filter { $0.tag == "messaging" && $0.method != "GET" }
        #expect(!writes.isEmpty)
        for route in writes {
            try await withSandbox { http in
                let before = await http.sandbox.store.state
                let own = try #require(before.channels["acme01CH"])
                let reply = try await http.send(
                    HTTPMethod(rawValue: route.method), route.path, headers: ["D360-API-KEY": own.apiKey],
                    body: #"{"url": "https://intruder.example.com/h"}"#)
                #expect(reply.status == 200, "\(route) works for the key's own channel: \(reply.body)")
                let after = await http.sandbox.store.state
                for (id, channel) in before.channels where id != own.id {
                    #expect(after.channels[id] == channel, "\(route) with acme01CH's key changed \(id)")
                }
                for (waba, webhook) in after.wabaWebhooks where waba != own.wabaID {
                    #expect(before.wabaWebhooks[waba] == webhook, "\(route) with acme01CH's key changed WABA \(waba)")
                }
                #expect(after != before, "\(route) did change the key's own channel or WABA")
            }
        }
    }
}
