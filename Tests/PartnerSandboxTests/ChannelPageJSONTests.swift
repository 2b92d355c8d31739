import Foundation
import HubAPI
import HTTPTypes
import OpenAPIRuntime
import Testing
@testable import PartnerSandbox

/// `ChannelPageMiddleware` answers channel pages with `ChannelPageJSON`'s bytes; these must be
/// the bytes the generated server writes, for every page, query and channel content.
@Suite struct ChannelPageJSONTests {
    /// Text that exercises every escape `JSONEncoder` makes, and some it does not.
    static let hostile: [String] = [
        "", "plain", "a/b", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "\r\u{8}\u{C}",
        String((0..<0x20).map { Character(Unicode.Scalar($0)!) }), "\u{7F}\u{80}\u{2028}\u{2029}\u{200B}\u{FEFF}\u{202E}",
        "émoji 😀 ü", "</script>", "{\"json\": [1, 2]}", "\u{0}",
    ]

    /// A channel with hostile text in every field the page shows.
    static func scramble(_ record: inout ChannelRecord, _ seed: Int) {
        func text(_ offset: Int) -> String { hostile[(seed + offset) % hostile.count] }
        record.clientName = text(1)
        record.status = text(2)
        record.accountMode = text(3)
        record.availabilityStatus = text(4)
        record.phoneName = text(5)
        record.wabaName = text(6)
        record.projectName = text(7)
        record.wabaExternalID = text(8)
        record.modifiedAt = text(9)
        record.localStorage = seed % 3 == 0 ? nil : text(10)
    }

    @Test func rendererWritesTheGeneratedEncodersBytes() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        var records = try SandboxSeed.demo().makeState(fleet: 20).channels.values.sorted { $0.id < $1.id }
        for index in records.indices where index % 2 == 1 { Self.scramble(&records[index], index) }
        let queries: [ChannelQuery] = [
            try ChannelQuery(filters: nil, sort: nil, limit: nil, offset: nil),
            try ChannelQuery(filters: #"{"q":"acme","status":"ready"}"#, sort: "-setup_info.phone_name", limit: 3, offset: 1),
            try ChannelQuery(
                filters: #"{"client.name":"a/b \"x\"","data_localization_region":"IN","id":7}"#, sort: "modified_at", limit: 0, offset: 0),
        ]
        for query in queries {
            for count in [0, 1, 2, records.count] {
                for storageField in [true, false] {
                    let page = Array(records.prefix(count))
                    let expected = try encoder.encode(HubHandlers.channelList(query, total: 99, page: page, storageField: storageField))
                    let rendered = ChannelPageJSON.render(query: query, total: 99, page: page, storageField: storageField)
                    #expect(
                        String(decoding: rendered, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                        "query \(query.ordering), \(count) channels, storage field \(storageField)")
                    #expect(rendered == Array(expected))
                }
            }
        }
    }

    /// The same requests to two sandboxes with the same channels, one writing pages by hand and
    /// one through the generated server: the same status, content type and bytes.
    @Test(arguments: [Set<SandboxVariant>(), [.noStorageField], [.richChannels]])
    func bothWaysAnswerTheSameOverHTTP(variants: Set<SandboxVariant>) async throws {
        var byHand = SandboxConfiguration(fleet: 30, variants: variants)
        var generated = byHand
        generated.channelPagesByHand = false
        byHand.channelPagesByHand = true
        let encoded = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        let paths = [
            "", "?limit=5", "?limit=0", "?offset=50", "?limit=1000&offset=3", "?limit=5000", "?sort=-setup_info.phone_name&limit=7",
            "?sort=modified_at", "?filters=" + encoded(#"{"q":"ACME"}"#), "?filters=" + encoded(#"{"id":"acme04CH"}"#),
            "?filters=" + encoded(#"{"client.name":"nobody"}"#) + "&limit=2", "?limit=007", "?limit=+5", "?limit=5&limit=6",
            "?offset=-1", "?sort=nonsense", "?unknown=1", "?filters=%7B", "?limit=3&filters=" + encoded(#"{"status":"ready"}"#),
        ]
        let answers: [[String]] = try await [byHand, generated].asyncMap { configuration in
            try await withSandbox(configuration) { http in
                var index = 0
                for id in await http.sandbox.store.state.channels.keys.sorted() {
                    index += 1
                    guard index % 4 == 0 else { continue }
                    try await http.sandbox.store.updateChannel(id: id) { Self.scramble(&$0, index) }
                }
                var answers: [String] = []
                for path in paths {
                    for accept in [nil, "application/json", "text/plain", "*/*"] {
                        let reply = try await http.send(
                            .GET, "/api/v2/partners/demoPA/channels" + path,
                            headers: ["X-API-Key": http.sandbox.partnerKey].merging(accept.map { ["Accept": $0] } ?? [:]) { a, _ in a })
                        let body = reply.status == 200 ? reply.body : String(reply.developerMessage ?? "")
                        answers.append("\(path) accept \(accept ?? "-"): \(reply.status) \(reply.headers["Content-Type"]) \(body)")
                    }
                }
                let other = try await http.send(
                    .GET, "/api/v2/partners/otherPA/channels?limit=1", headers: ["X-API-Key": http.sandbox.partnerKey])
                answers.append("other partner: \(other.status) \(other.developerMessage ?? "")")
                return answers
            }
        }
        #expect(answers[0].count == answers[1].count)
        for (hand, reference) in zip(answers[0], answers[1]) { #expect(hand == reference) }
    }

    @Test func webhookAnswerIsTheGeneratedEncodersBytes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        for (index, url) in Self.hostile.enumerated() {
            let headerSets: [[String: String]?] = [
                nil, [:], ["X-Token": url], [Self.hostile[(index + 3) % Self.hostile.count]: "v", "b": url, "a": "1"],
            ]
            for headers in headerSets {
                var fields: [String: (any Sendable)?] = ["url": url]
                if let headers { fields["headers"] = headers as [String: (any Sendable)?] }
                let expected = try encoder.encode(OpenAPIObjectContainer(unvalidatedValue: fields))
                let rendered = ChannelPageJSON.webhook(url: url, headers: headers)
                #expect(String(decoding: rendered, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
                #expect(rendered == Array(expected))
            }
        }
    }

    /// The same webhook reads from two sandboxes, one answering them by hand and one through the
    /// generated server: the same status, content type and bytes, with and without a webhook,
    /// under the variants that reshape those answers.
    @Test(arguments: [Set<SandboxVariant>(), [.webhookExtraFields, .webhookNullHeaders], [.webhookUnsetEmptyObject]])
    func webhookAnswersAreTheSameOverHTTP(variants: Set<SandboxVariant>) async throws {
        var byHand = SandboxConfiguration(fleet: 12, variants: variants)
        var generated = byHand
        generated.channelPagesByHand = false
        byHand.channelPagesByHand = true
        let answers: [[String]] = try await [byHand, generated].asyncMap { configuration in
            try await withSandbox(configuration) { http in
                var answers: [String] = []
                var index = 0
                for id in await http.sandbox.store.state.channels.keys.sorted() {
                    index += 1
                    let url = Self.hostile[index % Self.hostile.count]
                    try await http.sandbox.store.updateChannel(id: id) {
                        switch index % 3 {
                        case 0: $0.webhook = nil
                        case 1: $0.webhook = WebhookRecord(url: "https://hooks.example.com/" + url)
                        default: $0.webhook = WebhookRecord(url: url, headers: ["X-A": url, "x-b": "2"])
                        }
                    }
                    let key = try #require(await http.sandbox.store.channel(id: id)?.apiKey)
                    for accept in [nil, "application/json", "text/plain", "*/*"] {
                        let reply = try await http.send(
                            .GET, "/v1/configs/webhook",
                            headers: ["D360-API-KEY": key].merging(accept.map { ["Accept": $0] } ?? [:]) { a, _ in a })
                        let body = reply.status == 200 ? reply.body : String(reply.developerMessage ?? "")
                        answers.append("\(id) accept \(accept ?? "-"): \(reply.status) \(reply.headers["Content-Type"]) \(body)")
                    }
                }
                return answers
            }
        }
        #expect(answers[0].count == answers[1].count)
        for (hand, reference) in zip(answers[0], answers[1]) { #expect(hand == reference) }
    }

    /// The store remembers a listing's order until a channel changes: a renamed channel moves.
    @Test func rememberedOrderFollowsChanges() async throws {
        try await withSandbox(SandboxConfiguration(fleet: 5)) { http in
            let path = "/partners/demoPA/channels?sort=setup_info.phone_name&limit=1"
            let before = try await http.partner(.GET, path)
            let first = (before.json["partner_channels"] as? [[String: Any]])?.first?["id"] as? String
            let last = try await http.sandbox.store.state.channels.values.map(\.id).max()!
            #expect(first != last)
            try await http.sandbox.store.updateChannel(id: last) { $0.phoneName = "\u{1}" }
            let after = try await http.partner(.GET, path)
            #expect((after.json["partner_channels"] as? [[String: Any]])?.first?["id"] as? String == last)
            // More orders than the store keeps: every one still right.
            let channels = await http.sandbox.store.state.channels.values
            for index in 0..<(SandboxStore.orderingLimit + 3) {
                let filters = "{\"q\":\"\(index)\"}".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let reply = try await http.partner(.GET, "/partners/demoPA/channels?filters=\(filters)&limit=1000")
                let expected = channels.filter { channel in
                    ChannelQuery.searchedPaths.contains { (channel.value(at: $0) ?? "").lowercased().contains("\(index)") }
                }.count
                #expect(reply.json["total"] as? Int == expected)
            }
        }
    }

    /// The requests wabaform and the baseline send are the ones written by hand (so the test
    /// above compares the fast path, not the fallback twice); unusual ones go to the generated handler.
    @Test func whichRequestsAreWrittenByHand() {
        func request(_ query: String, accept: String? = nil) -> HTTPRequest {
            var request = HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/api/v2/partners/demoPA/channels" + query)
            if let accept { request.headerFields[.accept] = accept }
            return request
        }
        for query in ["", "?limit=1000&offset=0", "?offset=2000&limit=1000", "?sort=-id", "?filters=%7B%22q%22%3A%22x%22%7D"] {
            #expect(ChannelPageMiddleware.query(request(query)) != nil, "\(query)")
        }
        #expect(ChannelPageMiddleware.query(request("?limit=5", accept: "application/json")) != nil)
        #expect(ChannelPageMiddleware.query(request("?limit=5", accept: "*/*")) != nil)
        for query in ["?limit=+5", "?limit=05", "?limit=5&limit=5", "?page=2", "?limit", "?offset=-1", "?sort=bogus", "?filters=%ZZ"] {
            #expect(ChannelPageMiddleware.query(request(query)) == nil, "\(query)")
        }
        #expect(ChannelPageMiddleware.query(request("?limit=5", accept: "text/plain")) == nil)
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
