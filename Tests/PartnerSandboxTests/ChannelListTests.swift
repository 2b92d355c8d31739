import Foundation
import Testing
@testable import PartnerSandbox

@Suite struct ChannelListTests {
    func encoded(_ filters: String) -> String {
        filters.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    @Test func pagingEdges() async throws {
        try await withSandbox { http in
            let past = try await http.partner(.GET, "/partners/demoPA/channels?offset=50")
            #expect(past.status == 200)
            #expect(past.json["count"] as? Int == 0)
            #expect(past.json["total"] as? Int == 12)
            #expect((past.json["partner_channels"] as? [Any])?.isEmpty == true)

            let zero = try await http.partner(.GET, "/partners/demoPA/channels?limit=0")
            #expect(zero.status == 200)
            #expect(zero.json["count"] as? Int == 0)
            #expect(zero.json["total"] as? Int == 12)

            let huge = try await http.partner(.GET, "/partners/demoPA/channels?limit=5000")
            #expect(huge.json["limit"] as? Int == 1000)
            #expect(huge.json["count"] as? Int == 12)

            let defaults = try await http.partner(.GET, "/partners/demoPA/channels")
            #expect(defaults.json["limit"] as? Int == 20)

            let negative = try await http.partner(.GET, "/partners/demoPA/channels?offset=-1")
            #expect(negative.status == 400)
            #expect(negative.developerMessage == "offset must not be negative")

            let notANumber = try await http.partner(.GET, "/partners/demoPA/channels?limit=ten")
            #expect(notANumber.status == 400)
        }
    }

    @Test func pagesCoverEveryChannelOnce() async throws {
        try await withSandbox { http in
            let (ids, requests) = try await http.pageThrough(limit: 5)
            #expect(ids.count == 12)
            #expect(Set(ids).count == 12)
            #expect(ids == ids.sorted())
            #expect(requests == 3)
        }
    }

    @Test func tenThousandChannelsPageExactlyOnce() async throws {
        try await withSandbox(SandboxConfiguration(fleet: 10_000)) { http in
            let (ids, requests) = try await http.pageThrough(limit: 1000)
            #expect(ids.count == 10_012)
            #expect(Set(ids).count == 10_012)
            #expect(requests == 11)
            let (descending, _) = try await http.pageThrough(limit: 1000, extraQuery: "&sort=-created_at")
            #expect(Set(descending).count == 10_012)
            #expect(descending.first == "fleet010000CH")
        }
    }

    @Test(arguments: [
        (#"{"status":"pending"}"#, ["acme03CH", "globex02CH", "globex04CH", "initech03CH"]),
        (#"{"client.name":"Globex Ltd"}"#, ["globex01CH", "globex02CH", "globex03CH", "globex04CH"]),
        (#"{"setup_info.phone_number":"447700900002"}"#, ["globex02CH"]),
        (#"{"client_id":"acmeCL","status":"ready"}"#, ["acme01CH", "acme02CH", "acme04CH"]),
        (#"{"q":"support"}"#, ["acme01CH", "initech02CH"]),
        (#"{"q":"INITECH","status":"ready"}"#, ["initech01CH", "initech02CH", "initech04CH"]),
        (#"{"waba_account.id":"nopeWA"}"#, []),
    ])
    func filters(filters: String, expected: [String]) async throws {
        try await withSandbox { http in
            let reply = try await http.partner(.GET, "/partners/demoPA/channels?filters=\(encoded(filters))")
            #expect(reply.status == 200)
            let ids = (reply.json["partner_channels"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == expected)
            #expect(reply.json["total"] as? Int == expected.count)
        }
    }

    @Test func sortAscendingDescendingAndTies() async throws {
        try await withSandbox { http in
            let byName = try await http.partner(.GET, "/partners/demoPA/channels?sort=-setup_info.phone_name&limit=3")
            let names = (byName.json["partner_channels"] as? [[String: Any]])?.compactMap {
                ($0["setup_info"] as? [String: Any])?["phone_name"] as? String
            }
            #expect(names == ["Initech Support", "Initech Main", "Initech Labs"])
            #expect(byName.json["sort"] as? [String] == ["-setup_info.phone_name"])
            // Ties (same client) fall back to id order.
            let byClient = try await http.partner(.GET, "/partners/demoPA/channels?sort=client.name&limit=4")
            let ids = (byClient.json["partner_channels"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["acme01CH", "acme02CH", "acme03CH", "acme04CH"])
        }
    }

    @Test(arguments: [
        ("filters=\("{\"nope\":1}".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", "unknown filter field nope"),
        ("filters=not-json", "filters must be a JSON object, e.g. {\"id\":\"abcCH\"}"),
        (
            "filters=\("[1]".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
            "filters must be a JSON object, e.g. {\"id\":\"abcCH\"}"
        ),
        ("sort=-favourite_colour", "cannot sort by unknown field favourite_colour"),
    ])
    func badQueriesAre400(query: String, message: String) async throws {
        try await withSandbox { http in
            let reply = try await http.partner(.GET, "/partners/demoPA/channels?\(query)")
            #expect(reply.status == 400)
            #expect(reply.developerMessage == message)
        }
    }
}
