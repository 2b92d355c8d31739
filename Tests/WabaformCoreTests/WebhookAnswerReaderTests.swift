import Foundation
import HTTPTypes
import MessagingAPI
import PartnerAPIRules
import Testing

@_spi(Generated) import OpenAPIRuntime
@testable import WabaformCore

/// `ChannelPageReader.webhook` (a channel's webhook answer read straight from its bytes)
/// against the long way it replaces: the generated `WebhookRead` decoder, then
/// `APIAssumptions.channelWebhook(in:)`. For every answer both give the same webhook, or both
/// fail the same way.
@Suite("Webhook answers read from bytes: the same as the generated decoder")
struct WebhookAnswerReaderTests {
    static let converter = Converter(configuration: .init())

    enum Outcome: Equatable {
        case shape(APIAssumptions.ChannelWebhookShape)
        case failed(String)

        init(_ body: () async throws -> APIAssumptions.ChannelWebhookShape) async {
            do {
                self = .shape(try await body())
            } catch {
                let underlying = ClientFailure.unwrap(error)
                self = .failed(String(describing: type(of: underlying)))
            }
        }

        /// Which non-text header the long way names depends on its dictionary's order.
        var orderFree: Outcome {
            if case .shape(.malformed(let reason)) = self, reason.hasPrefix("the value of header ") {
                return .shape(.malformed("the value of header … is not text"))
            }
            return self
        }
    }

    static func generated(_ body: String) async -> Outcome {
        await Outcome { try await MessagingConnection.generatedWebhook(Data(body.utf8), converter: converter) }
    }

    static func current(_ body: String, status: HTTPResponse.Status = .ok) async -> Outcome {
        await Outcome {
            let response = HTTPResponse(status: status, headerFields: [.contentType: "application/json"])
            return try await MessagingConnection.webhookAnswer.read(response, HTTPBody(body), converter: converter)
        }
    }

    static let answers: [String] = [
        #"{"url": "https://hooks.example.com/wa/acme01CH"}"#,
        #"{"url": "https:\/\/hooks.example.com\/wa", "headers": {"X-Token": "s3cr\u00e9t", "Authorization": "Bearer x"}}"#,
        #"{"url": "https://h.example.com", "headers": null, "extra": [1, {"a": null}], "n": -12}"#,
        #"{"url": "https://h.example.com", "headers": {}}"#,
        #"{}"#, #"{"url": null}"#, #"{"url": ""}"#, #"{"url": "  \t "}"#, #"{"url": "\u00a0"}"#, #"{"url": "\u2003x"}"#,
        #"{"url": 7}"#, #"{"url": true}"#, #"{"url": ["https://a"]}"#, #"{"url": {"href": "https://a"}}"#,
        #"{"headers": "X: y", "url": "https://a"}"#, #"{"headers": [], "url": 5}"#, #"{"headers": {"A": 1}}"#,
        #"{"headers": {"A": "b", "C": null}, "url": "https://a"}"#, #"{"headers": {"A": "1", "B": {"x": "y"}}}"#,
        #"{"url": "https://a", "url": "https://b"}"#, #"{"headers": {"A": "1", "A": "2"}, "url": "https://a"}"#,
        #"{"url": "https://a\ud800"}"#, #"{"url": "https://a\u0000b"}"#, #"{"url": "emoji \ud83d\ude00"}"#,
        #"  {"url" : "https://a" , "headers" : { "K" : "v" } }  "#, #"{"url": "https://a"} x"#, #"{"url": "https://a""#,
        #"[{"url": "https://a"}]"#, #""https://a""#, "null", "", "{", #"{"a": 1e400, "url": "https://a"}"#, #"{"n": -0.5e3}"#,
        #"{"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], "url": "https://a"}"#,
        #"{"data": {"url": "https://nested"}, "url": "https://top"}"#, #"{"URL": "https://a"}"#,
    ]

    @Test("any answer: the same webhook, or the same failure", arguments: answers)
    func anyAnswer(body: String) async {
        let expected = await Self.generated(body)
        #expect(await Self.current(body).orderFree == expected.orderFree, "\(body)")
        if let read = ChannelPageReader.webhook(Data(body.utf8)) {
            #expect(Outcome.shape(read) == expected, "\(body)")
        }
    }

    @Test("a blank URL is what Foundation's trimming of whitespace leaves empty, for every scalar")
    func blankIsTrimmedEmpty() {
        var scalars = (0..<0x3100).compactMap(Unicode.Scalar.init(_:))
        scalars += [0xFEFF, 0x1_F600, 0xE_0020, 0x10_FFFF].compactMap(Unicode.Scalar.init(_:))
        let spaces = scalars.filter { String($0).trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(spaces.count > 10)  // the tab, the space, U+00A0, U+2000-U+200A, U+3000, ...
        var texts = ["", "https://a", " https://a ", "\t", " \u{00A0}\u{3000}\t"]
        for scalar in scalars { texts += [String(scalar), " \(scalar) ", "\(scalar)x", "\u{2003}\(scalar)"] }
        for text in texts {
            #expect(
                APIAssumptions.isBlank(text) == text.trimmingCharacters(in: .whitespaces).isEmpty, "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test("the usual answers are read by the reader itself")
    func readerReadsTheUsualAnswers() {
        for body in Self.answers.prefix(10) { #expect(ChannelPageReader.webhook(Data(body.utf8)) != nil, "\(body)") }
        #expect(ChannelPageReader.webhook(Data(#"{"url": "https://a", "url": "https://b"}"#.utf8)) == nil)
        #expect(ChannelPageReader.webhook(Data(#"{"headers": {"A": 1}}"#.utf8)) == nil)
    }

    @Test("the read's Accept header is what the generated serializer writes")
    func acceptHeader() {
        var fields = HTTPFields()
        Self.converter.setAcceptHeader(in: &fields, contentTypes: Operations.getChannelWebhook.Input().headers.accept)
        #expect(fields[.accept] == MessagingConnection.webhookAccept)
        #expect(MessagingConnection.webhookAccept == "application/json")
    }

    @Test("a status other than 200 is decoded as an error envelope, then unexpected, as before")
    func otherStatus() async {
        let envelope = #"{"meta": {"success": false, "http_code": 201, "developer_message": "odd"}}"#
        #expect(await Self.current(envelope, status: .created) == .failed("UnexpectedAnswer"))
        #expect(await Self.current("not json", status: .created) == .failed("DecodingError"))
    }

    @Test("generated answers of hostile values: the same webhook, or the same failure")
    func generatedAnswers() async {
        var generator = ChannelPageReaderTests.Generator(state: 21)
        let values = ChannelPageReaderTests.scalars + [#""https://hooks.example.com/x""#, #"{"X-A": "1", "X-B": "two"}"#]
        let keys = ["url", "headers", "URL", "extra", "url ", "h"]
        var readByReader = 0
        for _ in 0..<1_000 {
            let members = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                #""\#(keys.randomElement(using: &generator)!)": \#(values.randomElement(using: &generator)!)"#
            }
            let body = "{" + members.joined(separator: ", ") + "}"
            let expected = await Self.generated(body)
            #expect(await Self.current(body).orderFree == expected.orderFree, "\(body)")
            if let read = ChannelPageReader.webhook(Data(body.utf8)) {
                readByReader += 1
                #expect(Outcome.shape(read) == expected, "\(body)")
            }
        }
        #expect(readByReader > 300, "the reader read \(readByReader) of 1,000")
    }
}
