import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import OpenAPIRuntime
import PartnerAPIRules
import Synchronization

/// The transport under the API client: AsyncHTTPClient, with every request body sent as one
/// buffer written right behind the request head.
///
/// `AsyncHTTPClientTransport` streams request bodies from a separate task. When a server
/// answers before it has read the body — a gateway's 400 or 429, the Messaging API's usage
/// limit — AsyncHTTPClient may then fail the request with `bodyLengthMismatch` instead of
/// returning the answer, so a throttled write was reported as failed rather than waited out.
/// A body sent as one buffer is written synchronously after the head, so the answer is always
/// the server's. Request bodies are small JSON (the retry layer already holds them in memory).
struct WholeBodyTransport: ClientTransport {
    let client: HTTPClient
    let timeout: Duration

    /// The largest request body sent (the retry layer's bound).
    static let maxRequestBytes = RetryMiddleware.maxRequestBytes

    enum Failure: Error, CustomStringConvertible {
        case invalidRequestURL(path: String)
        var description: String {
            switch self {
            case .invalidRequestURL(let path): "invalid request URL from path \(TerminalText.escaped(path))"
            }
        }
    }

    /// URLs already built, by base URL and path: nearly every request of a plan is the same
    /// webhook read, and building its URL with `URLComponents` cost about 15,000
    /// instructions a request (docs/performance.md).
    let urls = RequestURLs()

    /// The request's URL: the base URL's path, then the request's path and query.
    static func requestURL(base: String, path: String) throws -> String {
        guard var components = URLComponents(string: base), let relative = URLComponents(string: path)
        else { throw Failure.invalidRequestURL(path: path) }
        components.percentEncodedPath += relative.percentEncodedPath
        components.percentEncodedQuery = relative.percentEncodedQuery
        guard let url = components.url else { throw Failure.invalidRequestURL(path: path) }
        return url.absoluteString
    }

    /// `requestURL` remembered: the same inputs give the same URL, so a URL built once is
    /// reused; a failure is not remembered (it is thrown again, the same way, each time).
    final class RequestURLs: Sendable {
        struct Key: Hashable {
            var base: String
            var path: String
        }
        /// Distinct URLs kept at most; past it the memory starts over (paging offsets, one
        /// channel's filters: a plan has a handful of distinct URLs, never this many).
        static let limit = 64
        private let built = Mutex<[Key: String]>([:])

        func url(base: String, path: String) throws -> String {
            let key = Key(base: base, path: path)
            if let known = built.withLock({ $0[key] }) { return known }
            let url = try WholeBodyTransport.requestURL(base: base, path: path)
            built.withLock { built in
                if built.count >= Self.limit { built.removeAll(keepingCapacity: true) }
                built[key] = url
            }
            return url
        }
    }

    func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        let deadline = RequestDeadline(timeout: timeout)
        var outgoing = HTTPClientRequest(url: try urls.url(base: baseURL.absoluteString, path: request.path ?? ""))
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields { outgoing.headers.add(name: field.name.canonicalName, value: field.value) }
        if let body {
            let bytes = try await CollectedBody.bytes(of: body, upTo: Self.maxRequestBytes)
            outgoing.body = .bytes(ByteBuffer(bytes: bytes))
        }

        let answer = try await client.execute(outgoing, timeout: TimeAmount(timeout))
        var fields = HTTPFields()
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        let length: HTTPBody.Length = fields[.contentLength].flatMap { Int64($0) }.map { .known($0) } ?? .unknown
        let response = HTTPResponse(status: .init(code: Int(answer.status.code)), headerFields: fields)
        switch request.method {
        case .head, .connect, .trace: return (response, nil)
        default: return (response, try await Self.wholeBody(of: answer.body, length: length, deadline: deadline))
        }
    }

    /// The answer's body read whole here, where its chunks are AsyncHTTPClient's own concrete
    /// type (an `HTTPBody` over a mapped sequence cost about 36,000 instructions a chunk in
    /// generic metadata lookups, docs/performance.md), and handed up as one remembered chunk
    /// (`CollectedBody`). Past `ThrottleMiddleware.maxResponseBytes` — announced or read —
    /// reading stops and what was read goes up as is, so the layer above fails it with the
    /// error it always gave (OpenAPIRuntime's "more than the maximum allowed"). Past
    /// `deadline`, the next chunk ends the attempt (a server trickling its answer).
    static func wholeBody(of body: HTTPClientResponse.Body, length: HTTPBody.Length, deadline: RequestDeadline) async throws -> HTTPBody {
        let limit = ThrottleMiddleware.maxResponseBytes
        if case .known(let announced) = length, announced > limit { return HTTPBody([], length: length) }
        var bytes: [UInt8] = []
        if case .known(let announced) = length { bytes.reserveCapacity(Int(announced)) }
        for try await chunk in body {
            try deadline.check()
            bytes.append(contentsOf: chunk.readableBytesView)
            if bytes.count > limit { return HTTPBody(ArraySlice(bytes), length: .unknown) }
        }
        return CollectedBody.body(ArraySlice(bytes))
    }
}
