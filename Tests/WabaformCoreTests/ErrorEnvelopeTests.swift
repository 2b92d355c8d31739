import Foundation
import HTTPTypes
import OpenAPIRuntime
import PartnerAPIRules
import Testing
@testable import WabaformCore

@Suite("Error answers")
struct ErrorEnvelopeTests {
    @Test(
        "every documented error shape gives the message and trace id",
        arguments: [
            (
                #"{"meta":{"success":false,"http_code":400,"developer_message":"Wrong payload","360dialog_trace_id":"t-1"}}"#,
                "Wrong payload", "t-1"
            ),
            (#"{"meta":{"success":false,"httpCode":401,"developerMessage":"Invalid token"}}"#, "Invalid token", nil),
            (#"{"error":"Invalid D360-API-KEY"}"#, "Invalid D360-API-KEY", nil),
            (#"{"error":{"message":"(#100) Invalid parameter","fbtrace_id":"fb-9"}}"#, "(#100) Invalid parameter", "fb-9"),
            ("<html>\n  <body>Bad   Gateway</body>\n</html>", "<html> <body>Bad Gateway</body> </html>", nil),
            ("", nil, nil),
        ] as [(String, String?, String?)])
    func shapes(body: String, message: String?, trace: String?) {
        let parsed = ErrorBody.parse(Array(body.utf8))
        #expect(parsed.message == message)
        #expect(parsed.traceID == trace)
    }

    @Test(
        "an error envelope inside a 2xx answer is an error; a success envelope is not",
        arguments: [
            (#"{"meta":{"success":false,"http_code":500,"developer_message":"Internal error"}}"#, 500, "Internal error"),
            (#" {"meta":{"success":false,"developer_message":"Oops"}}"#, 500, "Oops"),
            (#"{"meta":{"httpCode":404,"developerMessage":"No such channel"}}"#, 404, "No such channel"),
            (#"{"meta":{"success":true,"http_code":200,"developer_message":"Local storage setting successfully adjusted."}}"#, nil, nil),
            (#"{"id":"demoPA","meta":"x"}"#, nil, nil),
            (#"[{"meta":{"success":false}}]"#, nil, nil),
            ("not json", nil, nil),
        ] as [(String, Int?, String?)])
    func envelopeIn2xx(body: String, status: Int?, message: String?) {
        let found = ErrorBody.envelopeError(Array(body.utf8))
        #expect(found?.httpCode == status)
        #expect(found?.message == message)
    }

    @Test("a long raw body is shortened")
    func rawTruncated() throws {
        let parsed = ErrorBody.parse(Array(String(repeating: "x", count: 5_000).utf8))
        let message = try #require(parsed.message)
        #expect(message.count < 400)
        #expect(message.hasSuffix("(5000 bytes)"))
    }

    @Test("the description names operation, status, message and trace id")
    func description() {
        let error = APIError(operation: "GET partner demoPA", status: 401, developerMessage: "Invalid API key", traceID: "sbx-trace-1")
        #expect(error.description == "GET partner demoPA failed: 401 Invalid API key (trace id sbx-trace-1)")
        let bare = APIError(operation: "GET partner demoPA", status: 503, developerMessage: nil, traceID: nil, attempts: 5)
        #expect(bare.description == "GET partner demoPA failed: 503 Service Unavailable after 5 attempts")
    }

    typealias Next = @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)

    func run(_ status: HTTPResponse.Status, headers: HTTPFields = [:], body: String, secrets: [Secret] = []) async -> (any Error)? {
        let middleware = ErrorEnvelopeMiddleware(secrets: secrets, timeout: .seconds(5))
        let next: Next = { _, _, _ in (HTTPResponse(status: status, headerFields: headers), HTTPBody(body)) }
        do {
            _ = try await middleware.intercept(
                HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/partners/demoPA?x=1"), body: nil,
                baseURL: URL(string: "https://hub.360dialog.io/api/v2")!, operationID: "getPartner", next: next)
            return nil
        } catch {
            return error
        }
    }

    @Test("a redirect is an error naming the target host, never followed")
    func redirect() async throws {
        let error = await run(.init(code: 302), headers: [.location: "https://evil.example.net/steal"], body: "")
        let apiError = try #require(error as? APIError)
        #expect(apiError.status == 302)
        #expect(apiError.description.contains("redirected to evil.example.net"))
        #expect(apiError.operation == "GET /partners/demoPA")
    }

    @Test("secrets echoed by the API are cut out of the message")
    func redaction() async throws {
        let error = await run(
            .unauthorized, body: #"{"error":"key sbx_key_12345 is not valid"}"#, secrets: [Secret("sbx_key_12345")])
        let description = try #require(error.map { "\($0)" })
        #expect(description.contains("key (sensitive) is not valid"))
        #expect(!description.contains("sbx_key_12345"))
    }

    @Test("Retry-After is kept on 429")
    func retryAfter() async throws {
        let error = await run(.tooManyRequests, headers: [.retryAfter: "3"], body: "{}")
        #expect((error as? APIError)?.retryAfter == .seconds(3))
    }

    @Test("2xx passes untouched")
    func success() async {
        #expect(await run(.ok, body: "{}") == nil)
    }
}
