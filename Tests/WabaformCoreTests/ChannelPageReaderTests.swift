import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import PartnerAPIRules
import PartnerSandbox
import Testing

@_spi(Generated) import OpenAPIRuntime
@testable import WabaformCore

/// `ChannelPageReader` (a channel list page read straight from its bytes) against the long
/// way it replaces: the generated `ChannelList` decoder, then `LiveChannel(wire:)`. For every
/// answer both give the same page, or both fail with the same message.
@Suite("Channel pages read from bytes: the same as the generated decoder")
struct ChannelPageReaderTests {
    static let converter = Converter(configuration: .init())

    enum Outcome: Equatable, CustomStringConvertible {
        case page(channels: [LiveChannel], count: Int?, total: Int, offset: Int?, limit: Int?)
        case failed(String)

        init(_ body: () async throws -> ChannelPageReader.Page) async {
            do {
                let page = try await body()
                self = .page(channels: page.channels, count: page.count, total: page.total, offset: page.offset, limit: page.limit)
            } catch {
                let underlying = ClientFailure.unwrap(error)
                if let decoding = underlying as? DecodingError {
                    self = .failed("DecodingError: " + PartnerAPIClient.summary(of: decoding))
                } else {
                    self = .failed(String(describing: type(of: underlying)))
                }
            }
        }

        /// The same outcome with what the long way itself varies from run to run (its
        /// dictionaries iterate in a per-instance order) made fixed: the text of a region that
        /// is an object or an array, and which failing member a failure names first.
        var orderFree: Outcome {
            switch self {
            case .failed(let message):
                return .failed(String(message.prefix { $0 != ":" }))
            case .page(let channels, let count, let total, let offset, let limit):
                let fixed = channels.map { channel in
                    var channel = channel
                    if case .unknown(let reason) = channel.localStorage, let cut = reason.range(of: " is not text: [") {
                        channel.localStorage = .unknown(reason: reason[..<cut.upperBound] + "…]")
                    }
                    return channel
                }
                return .page(channels: fixed, count: count, total: total, offset: offset, limit: limit)
            }
        }

        var description: String {
            switch self {
            case .failed(let message): "failed: \(message)"
            case .page(let channels, let count, let total, let offset, let limit):
                "page(count \(count.map(String.init) ?? "nil"), total \(total), offset \(offset.map(String.init) ?? "nil"), limit \(limit.map(String.init) ?? "nil")): "
                    + channels.map { "\($0.id) \($0.fields.map { "\($0.path): \($0.value)" }) \($0.localStorage)" }.joined(separator: "; ")
            }
        }
    }

    /// The long way: what `HubConnection.channelPage` gave before the reader.
    static func generated(_ body: String) async -> Outcome {
        await Outcome { try await HubConnection.generatedChannelPage(Data(body.utf8), converter: converter) }
    }

    /// The way a 200 JSON answer is read now: the reader, and the long way where it declines.
    static func current(_ body: String) async -> Outcome {
        await Outcome {
            let response = HTTPResponse(status: .ok, headerFields: [.contentType: "application/json"])
            return try await HubConnection.pageAnswer.read(response, HTTPBody(body), converter: converter)
        }
    }

    /// The reader alone; nil when it declines.
    static func reader(_ body: String) async -> Outcome? {
        guard let page = ChannelPageReader.read(Data(body.utf8)) else { return nil }
        return await Outcome { page }
    }

    static func page(_ channels: [String]) -> String {
        #"{"count": \#(channels.count), "total": \#(channels.count), "offset": 0, "limit": 1000, "partner_channels": ["#
            + channels.joined(separator: ", ") + "]}"
    }

    /// Channel objects the reader must read itself, and exactly as the long way does.
    static let coveredChannels: [String] = [
        #"{"id": "acme01CH"}"#,
        #"{"id": "acme01CH", "client_id": "acme", "status": "ready", "data_localization_region": "de", "setup_info": {"phone_number": "+49 151 1234", "phone_name": "Acme"}}"#,
        #"{"id": "acme01CH", "data_localization_region": null, "client": {"id": "cl1", "name": "Acme"}, "waba_account": {"id": "w1"}}"#,
        #"{"id": "acme01CH", "data_localization_region": ""}"#,
        #"{"id": "a\u0063me\/01CH", "status": "\u00e9t\u00E9 \ud83d\ude00 \"quoted\" back\\slash \b\f\n\r\t", "n\u00e4me": "ü 😀 ☃"}"#,
        #"{"id": "x", "version": 3, "neg": -17, "zero": 0, "minus_zero": -0, "big": 9223372036854775807, "small": -9223372036854775808}"#,
        #"{"id": "x", "price": 12.50, "rate": -0.25, "tiny": 0.000001, "pi": 3.141592653589793238462643383279, "almost": 999999999999999.5}"#,
        #"{"id": "x", "flag": true, "off": false, "nothing": null, "list": [1, "a", null, {"b": [true]}], "empty": {}, "empty_list": []}"#,
        #"{"id": "x", "a": {"b": {"c": {"d": {"e": "too deep", "f": 1}, "g": "kept"}}}}"#,
        #"{"id": "x", "a": {"b": {"c": {"d": {"e": {"f": {"g": [[[[{"h": 1}]]]]}}}}}}}"#,
        #"{"id": "x", "client_id": 42, "setup_info": {"phone_number": 4915112345678}}"#,
        #"{"id": "x", "client": {"id": "from.client"}}"#,
        #"{"id": "x", "client_id": "cid", "client": {"name": "n"}}"#,
        #"{"id": "", "status": ""}"#,
        "{\"id\"\t:\r\n\"x\" ,\n \"status\" : \"ready\" }",
        #"{"status": "ready", "id": "late"}"#,
    ]

    /// Answers either way may read: the reader, or the long way where it declines; the
    /// result must be the long way's either way, errors included.
    static let anyAnswers: [String] = [
        // Numbers the reader leaves to the long way, or reads.
        page([#"{"id": "x", "n": 1e400}"#]),
        page([#"{"id": "x", "n": -1e400}"#]),
        page([#"{"id": "x", "n": 1E2, "m": 1e-2, "k": 2.5e+3}"#]),
        page([#"{"id": "x", "n": 1.0, "m": -0.0, "k": 100.000}"#]),
        page([#"{"id": "x", "n": 123456789012345678901234567890}"#]),
        page([#"{"id": "x", "n": -9223372036854775809, "m": 9223372036854775808}"#]),
        page([#"{"id": "x", "n": 1000000000000000.5, "m": 1e15, "k": 1e16, "j": 12345678901234567.0}"#]),
        page([#"{"id": "x", "n": 0.1, "m": 0.30000000000000004, "k": 5e-324}"#]),
        page([#"{"id": "x", "n": 01}"#]),
        page([#"{"id": "x", "n": .5}"#]),
        page([#"{"id": "x", "n": 1.}"#]),
        page([#"{"id": "x", "n": +1}"#]),
        page([#"{"id": "x", "n": NaN}"#]),
        page([#"{"id": "x", "n": Infinity}"#]),
        // Keys and strings.
        page([#"{"id": "x", "status": "a", "status": "b"}"#]),
        page([#"{"id": "x", "id": "y"}"#]),
        page([#"{"id": "x", "client": {"name": "a", "name": "b"}}"#]),
        page([#"{"id": "x", "s": "\ud83d"}"#]),
        page([#"{"id": "x", "s": "\ude00"}"#]),
        page([#"{"id": "x", "s": "\ud83d\u0041"}"#]),
        page([#"{"id": "x", "s": "\x41"}"#]),
        page([#"{"id": "x", "s": "\u12"}"#]),
        page(["{\"id\": \"x\", \"s\": \"tab\there\"}"]),
        page(["{\"id\": \"x\", \"s\": \"nul\u{0}here\"}"]),
        page([#"{"id": "x", "e\u0301": 1, "é": 2}"#]),
        page([#"{"id": "x", "a.b": "flat", "c": {"d": 1}}"#]),
        page([#"{"id": "x", "a.b": "flat", "a": {"b": "nested"}}"#]),
        // Required fields and their types.
        page([#"{"status": "ready"}"#]),
        page([#"{"id": 5}"#]),
        page([#"{"id": null}"#]),
        page([#"{"id": "x", "data_localization_region": 7}"#]),
        page([#"{"id": "x", "data_localization_region": {"code": "de"}}"#]),
        page([#"{"id": "x", "data_localization_region": ["de"]}"#]),
        page([#"{"id": "x", "data_localization_region": true}"#]),
        page([#"{"id": "x", "data_localization_region": 1.5}"#]),
        page(["[]"]),
        page(["null"]),
        page(["\"x\""]),
        #"{"total": 1}"#,
        #"{"partner_channels": []}"#,
        #"{"total": "1", "partner_channels": []}"#,
        #"{"total": 1.0, "partner_channels": []}"#,
        #"{"total": 1.5, "partner_channels": []}"#,
        #"{"total": 1e2, "partner_channels": []}"#,
        #"{"total": -0, "partner_channels": []}"#,
        #"{"total": null, "partner_channels": []}"#,
        #"{"total": 99999999999999999999, "partner_channels": []}"#,
        #"{"total": 0, "partner_channels": null}"#,
        #"{"total": 0, "partner_channels": {}}"#,
        #"{"total": 0, "count": null, "offset": null, "limit": null, "partner_channels": []}"#,
        #"{"total": 0, "count": "2", "partner_channels": []}"#,
        #"{"total": 0, "count": 2.0, "partner_channels": []}"#,
        #"{"total": 0, "sort": ["id", "-created_at"], "filters": {"id": "x", "n": [1, {"a": null}]}, "has_more": false, "partner_channels": []}"#,
        #"{"total": 0, "sort": "id", "partner_channels": []}"#,
        #"{"total": 0, "sort": [1], "partner_channels": []}"#,
        #"{"total": 0, "sort": null, "filters": null, "partner_channels": []}"#,
        #"{"total": 0, "filters": [], "partner_channels": []}"#,
        #"{"total": 0, "filters": {"a": 1, "a": 2}, "partner_channels": []}"#,
        #"{"total": 0, "total": 1, "partner_channels": []}"#,
        #"{"total": 0, "extra": {"deep": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}, "partner_channels": []}"#,
        // Invalid JSON, other encodings, trailing bytes.
        "",
        " ",
        "{",
        #"{"total": 0, "partner_channels": []"#,
        #"{"total": 0, "partner_channels": [],}"#,
        #"{"total": 0, "partner_channels": [{"id": "x",}]}"#,
        #"{"total": 0, "partner_channels": [{"id": "x"},]}"#,
        #"{"total": 0 "partner_channels": []}"#,
        #"{"total": 0, "partner_channels": []} x"#,
        #"{"total": 0, "partner_channels": []}{}"#,
        "{\"total\": 0, \"partner_channels\": []}\n\t ",
        "\u{FEFF}{\"total\": 0, \"partner_channels\": []}",
        #"{'total': 0, "partner_channels": []}"#,
        #"{total: 0, "partner_channels": []}"#,
        #"{"total": 0, "partner_channels": [{"id": "x", "flag": tru}]}"#,
        #"{"total": 0, "partner_channels": [{"id": "x", "flag": nul}]}"#,
        #"{"total": 0, "partner_channels": [{"id": "x", "s": "unterminated}]}"#,
    ]

    @Test("the reader reads these channels itself, exactly as the long way", arguments: coveredChannels)
    func covered(channel: String) async throws {
        let body = Self.page([channel])
        let expected = await Self.generated(body)
        guard case .page = expected else {
            Issue.record("the long way failed on a channel meant to be read: \(expected)")
            return
        }
        let read = try #require(await Self.reader(body), "the reader declined \(channel)")
        #expect(read == expected)
        #expect(await Self.current(body) == expected)
    }

    @Test("any answer: the same page, or the same failure", arguments: anyAnswers)
    func anyAnswer(body: String) async {
        let expected = await Self.generated(body)
        #expect(await Self.current(body) == expected)
        if let read = await Self.reader(body) { #expect(read == expected, "the reader itself") }
    }

    @Test("the reader declines what it cannot read exactly, and what the long way refuses")
    func declines() async {
        // Never a page where the long way fails.
        for body in Self.anyAnswers {
            if case .failed = await Self.generated(body) { #expect(await Self.reader(body) == nil, "\(body)") }
        }
        // Nesting beyond its limit goes the long way, whatever its depth.
        for depth in [ChannelPageReader.maxNesting - 4, ChannelPageReader.maxNesting + 1, 100, 600, 5_000] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let body = Self.page([#"{"id": "x", "deep": \#(nested)}"#])
            #expect(await Self.current(body) == (await Self.generated(body)), "depth \(depth)")
            if depth > ChannelPageReader.maxNesting { #expect(await Self.reader(body) == nil) }
        }
    }

    /// Hostile values, to be combined into channel objects.
    static let scalars: [String] = [
        #""text""#, #""""#, #""ü\u00fc\ud83d\ude00""#, #""a\"b\\c\/d""#, #""\u0000""#, "true", "false", "null", "0", "-0", "7", "-42",
        "9223372036854775807", "-9223372036854775808", "12.50", "1.0", "-0.0", "0.5", "1e400", "1E2", "-2.5e-3",
        "123456789012345678901234567890", "1000000000000000.0", "999999999999999.9", "[]", "[1, \"a\", {\"b\": null}]", "{}",
    ]

    static let keys = [
        "status", "client_id", "data_localization_region", "setup_info", "client", "name", "id", "a", "b", "a.b", "é",
        "e\\u0301", "",
    ]

    /// A deterministic generator (SplitMix64), so a failure repeats.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func members(depth: Int, using generator: inout Generator) -> [String] {
        (0..<Int.random(in: 0...5, using: &generator)).map { _ in
            let key = keys.randomElement(using: &generator)!
            let value =
                depth < 6 && Int.random(in: 0..<4, using: &generator) == 0
                ? "{" + members(depth: depth + 1, using: &generator).joined(separator: ", ") + "}"
                : scalars.randomElement(using: &generator)!
            return #""\#(key)": \#(value)"#
        }
    }

    @Test("generated channel objects of hostile values: the same page, or the same failure")
    func generatedObjects() async {
        var generator = Generator(state: 15)
        var readByReader = 0
        for round in 0..<1_500 {
            var members = Self.members(depth: 0, using: &generator)
            if Int.random(in: 0..<10, using: &generator) > 0 { members.insert(#""id": "ch\#(round)""#, at: 0) }
            let body = Self.page(["{" + members.joined(separator: ", ") + "}"])
            let expected = await Self.generated(body)
            #expect(await Self.current(body).orderFree == expected.orderFree, "\(body)")
            if let read = await Self.reader(body) {
                readByReader += 1
                #expect(read == expected, "\(body)")
            }
        }
        #expect(readByReader > 100, "the reader read \(readByReader) of 1,500")
    }

    @Test("the sandbox's pages, plain and rich-channels, read the same both ways")
    func sandboxPages() async throws {
        for variants: Set<SandboxVariant> in [[], [.richChannels]] {
            try await Sandbox.withRunning(SandboxConfiguration(fleet: 300, variants: variants)) { sandbox in
                var request = HTTPClientRequest(url: sandbox.apiURL + "/partners/\(sandbox.partnerID)/channels?limit=1000&sort=id")
                request.headers.add(name: "X-API-Key", value: sandbox.partnerKey)
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(response.status.code == 200)
                let bytes = try await response.body.collect(upTo: 64 << 20)
                let body = String(buffer: bytes)
                let expected = await Self.generated(body)
                guard case .page(let channels, _, let total, _, _) = expected else {
                    Issue.record("the long way failed: \(expected)")
                    return
                }
                #expect(channels.count == total && total > 300)
                let read = try #require(await Self.reader(body), "the reader declined the sandbox's page (\(variants))")
                #expect(read == expected)
            }
        }
    }
}
