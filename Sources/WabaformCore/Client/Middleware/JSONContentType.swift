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
