import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import OpenAPIRuntime
import PartnerAPIRules

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

    func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        guard var components = URLComponents(string: baseURL.absoluteString),
            let relative = URLComponents(string: request.path ?? "")
        else { throw Failure.invalidRequestURL(path: request.path ?? "") }
        components.percentEncodedPath += relative.percentEncodedPath
        components.percentEncodedQuery = relative.percentEncodedQuery
        guard let url = components.url else { throw Failure.invalidRequestURL(path: request.path ?? "") }

        var outgoing = HTTPClientRequest(url: url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields { outgoing.headers.add(name: field.name.canonicalName, value: field.value) }
        if let body {
            let bytes = try await ArraySlice(collecting: body, upTo: Self.maxRequestBytes)
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
        default: return (response, HTTPBody(answer.body.map { $0.readableBytesView }, length: length, iterationBehavior: .single))
        }
    }
}
