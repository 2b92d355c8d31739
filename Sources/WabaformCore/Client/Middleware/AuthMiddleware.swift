import Foundation
import HTTPTypes
import OpenAPIRuntime
import PartnerAPIRules

/// Puts the credentials on each request: the partner key as `X-API-Key`, a bearer token
/// as `Authorization`, or a channel key as `D360-API-KEY`. This is the one place a key
/// is revealed. A bearer token the API refuses (401) is renewed and the request sent once
/// more. `createToken` goes out without credentials.
struct AuthMiddleware: ClientMiddleware {
    enum Mode: Sendable {
        case partnerKey(Secret)
        case bearer(BearerTokenSource)
        case channelKey(Secret)
    }

    let mode: Mode

    static let apiKeyField = HTTPField.Name("X-API-Key")!
    static let channelKeyField = HTTPField.Name("D360-API-KEY")!
    static let tokenOperationID = "createToken"

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        switch mode {
        case .partnerKey(let key):
            if operationID == Self.tokenOperationID { return try await next(request, body, baseURL) }
            request.headerFields[Self.apiKeyField] = key.revealed
            return try await next(request, body, baseURL)
        case .channelKey(let key):
            request.headerFields[Self.channelKeyField] = key.revealed
            return try await next(request, body, baseURL)
        case .bearer(let source):
            if operationID == Self.tokenOperationID { return try await next(request, body, baseURL) }
            let token = try await source.token()
            request.headerFields[.authorization] = "Bearer " + token.revealed
            let (response, responseBody) = try await next(request, body, baseURL)
            guard response.status.code == 401 else { return (response, responseBody) }
            // Expired or revoked before its time: one fresh token, one more try.
            await source.invalidate(token)
            let fresh = try await source.token()
            request.headerFields[.authorization] = "Bearer " + fresh.revealed
            return try await next(request, body, baseURL)
        }
    }
}
