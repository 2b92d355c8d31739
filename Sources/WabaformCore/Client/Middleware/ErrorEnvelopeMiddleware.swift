import Foundation
import HTTPTypes
import OpenAPIRuntime
import PartnerAPIRules

/// Turns every answer that is not 2xx into an `APIError`, and every transport failure into
/// an `APIConnectionError`, before the generated code tries to decode anything. The error
/// envelope is parsed in all its documented shapes (`ErrorBody`); every secret the request
/// carries is cut out of the message. Cancellation passes through untouched.
///
/// The operation is named `METHOD /path` here; `PartnerAPIClient` renames it for the user.
struct ErrorEnvelopeMiddleware: ClientMiddleware {
    /// Secrets to cut out of messages (the partner key or password, a channel key).
    let secrets: [Secret]
    /// The request timeout, to name it when a request times out.
    let timeout: Duration

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        // Named only when an error needs it: most answers are fine (about 0.5% of a plan's CPU).
        func operation() -> String { Self.defaultOperation(request, baseURL: baseURL) }
        let response: HTTPResponse
        let responseBody: HTTPBody?
        do {
            (response, responseBody) = try await next(request, body, baseURL)
        } catch {
            let underlying = ClientFailure.unwrap(error)
            if underlying is APIError || underlying is APIConnectionError { throw underlying }
            guard let reason = TransportFailure.reason(for: underlying, timeout: timeout) else { throw underlying }
            throw APIConnectionError(operation: operation(), host: Self.hostAndPort(baseURL), reason: redact(reason))
        }
        let status = response.status.code
        if Self.isHTML(response) {
            // A proxy's or load balancer's page, a login page: say so, not "RuntimeError".
            throw APIConnectionError(
                operation: operation(), host: Self.hostAndPort(baseURL),
                reason: .invalidResponse(
                    "the API answered HTML (status \(status)), not JSON; is the API URL right, or is a proxy answering?"))
        }
        if (200..<300).contains(status) {
            // The layer below (ThrottleMiddleware) has read the whole answer into memory, so
            // looking at it costs nothing. An error envelope sent with a 2xx status is an
            // error, reported with its own message rather than as a contract mismatch.
            guard let responseBody, Self.mayBeEnvelope(response) else { return (response, responseBody) }
            let bytes = try await CollectedBody.bytes(of: responseBody, upTo: ThrottleMiddleware.maxResponseBytes)
            if let envelope = ErrorBody.envelopeError(bytes) {
                throw APIError(
                    operation: operation(), status: envelope.httpCode,
                    developerMessage: (envelope.message.map(redact) ?? "an error") + " (in an answer with HTTP status \(status))",
                    traceID: envelope.traceID.map(redact))
            }
            return (response, CollectedBody.body(bytes))
        }

        var bytes: ArraySlice<UInt8> = []
        if let responseBody {
            bytes = (try? await ArraySlice(collecting: responseBody, upTo: 1 << 20)) ?? []
        }
        var error: APIError
        if (300..<400).contains(status) {
            let location = response.headerFields[.location].flatMap { URL(string: $0, relativeTo: baseURL) }
            let target = location?.host ?? "another location"
            error = APIError(
                operation: operation(), status: status,
                developerMessage:
                    "the API redirected to \(target); wabaform does not follow redirects, so credentials never leave the configured host; check the API URL",
                traceID: nil)
        } else {
            let parsed = ErrorBody.parse(bytes)
            error = APIError(
                operation: operation(), status: status, developerMessage: parsed.message.map(redact),
                traceID: parsed.traceID.map(redact))
            error.isUsageLimit = APIAssumptions.isUsageLimit(status: status, message: parsed.message)
        }
        if error.isThrottled || (500...599).contains(status) {
            error.retryAfter = RetryAfter.parse(response.headerFields[.retryAfter])
        }
        throw error
    }

    /// Whether the answer says it is an HTML page.
    static func isHTML(_ response: HTTPResponse) -> Bool {
        guard let type = response.headerFields[.contentType]?.lowercased() else { return false }
        return contains(type, "text/html") || contains(type, "application/xhtml")
    }

    /// Whether a 2xx answer could be an error envelope: JSON (or unlabeled).
    static func mayBeEnvelope(_ response: HTTPResponse) -> Bool {
        guard let type = response.headerFields[.contentType]?.lowercased() else { return true }
        return contains(type, "json")
    }

    /// `text.contains(word)` (`word` ASCII): byte by byte when `text` is ASCII, as a header
    /// value almost always is; Foundation's search otherwise, as before. Foundation's goes
    /// through `NSString` (about 7,000 instructions a call, three calls an answer).
    static func contains(_ text: String, _ word: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var text = text
        let found: Bool? = text.withUTF8 { haystack in
            guard haystack.allSatisfy({ $0 < 0x80 }) else { return nil }
            guard needle.count <= haystack.count else { return false }
            for start in 0...(haystack.count - needle.count)
            where haystack[start] == needle[0] && zip(haystack[start...], needle).allSatisfy({ $0 == $1 }) {
                return true
            }
            return false
        }
        return found ?? text.contains(word.description)
    }

    static func defaultOperation(_ request: HTTPRequest, baseURL: URL) -> String {
        let path = (request.path ?? "").split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        return "\(request.method.rawValue) \(path.isEmpty ? "/" : path)"
    }

    static func hostAndPort(_ url: URL) -> String {
        guard let host = url.host else { return url.absoluteString }
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = url.port { return "\(shown):\(port)" }
        return shown
    }

    /// Every known secret cut out (`SecretRedactor`), and line breaks made spaces: an API
    /// message is one line of an error, and must not start lines of its own.
    func redact(_ text: String) -> String {
        let redacted = Redaction.redact(text, secrets: secrets)
        // Foundation's replacing goes through `NSString`; most messages have no line break.
        guard redacted.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else { return redacted }
        return redacted.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }

    func redact(_ reason: APIConnectionError.Reason) -> APIConnectionError.Reason {
        switch reason {
        case .unreachable(let detail): .unreachable(redact(detail))
        case .invalidResponse(let detail): .invalidResponse(redact(detail))
        case .other(let detail): .other(redact(detail))
        case .timedOut, .closed: reason
        }
    }
}
