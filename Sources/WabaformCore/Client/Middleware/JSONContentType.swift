import Foundation
import HTTPTypes
@_spi(Generated) import OpenAPIRuntime
import Synchronization

/// The generated deserializers' content-type step for a JSON-only operation:
/// `converter.bestContentType(received: converter.extractContentTypeIfPresent(in:), options:
/// ["application/json"])`, which throws for a type that is not JSON.
///
/// Both calls parse the header's text (about 60,000 instructions an answer, through
/// Foundation's string bridging: docs/performance.md), and their answer depends on that text
/// alone, so a text found acceptable once is accepted again without parsing. A text that
/// failed is parsed each time (and fails the same way); at most `remembered` texts are kept.
enum JSONContentType {
    static let remembered = 32
    private static let accepted = Mutex<Set<String>>([])

    static func require(in fields: HTTPFields, converter: Converter) throws {
        let text = fields[.contentType]
        if let text, accepted.withLock({ $0.contains(text) }) { return }
        _ = try converter.bestContentType(received: converter.extractContentTypeIfPresent(in: fields), options: ["application/json"])
        if let text { accepted.withLock { if $0.count < remembered { $0.insert(text) } } }
    }
}

/// A JSON-only operation's answer as its generated deserializer reads it, with a reader of
/// the 200 answer's bytes first (`ChannelPageReader`): the content type checked, any other
/// status decoded as the contract's error envelope `Envelope` (the same errors when it is not
/// one) and then `UnexpectedAnswer`, and a 200 answer the reader declines (or no body)
/// decoded the generated way by `generated`.
struct GeneratedAnswer<Value: Sendable, Envelope: Decodable & Sendable>: Sendable {
    let bytes: @Sendable (Data) -> Value?
    let generated: @Sendable (Data?, Converter) async throws -> Value

    func read(_ response: HTTPResponse, _ body: HTTPBody?, converter: Converter) async throws -> Value {
        try JSONContentType.require(in: response.headerFields, converter: converter)
        guard response.status.code == 200 else {
            _ = try await converter.getResponseBodyAsJSON(Envelope.self, from: body, transforming: { $0 })
            throw UnexpectedAnswer()
        }
        var data: Data?
        if let body {
            let collected = Data(try await CollectedBody.bytes(of: body, upTo: .max))
            if let value = bytes(collected) { return value }
            data = collected
        }
        return try await generated(data, converter)
    }
}
