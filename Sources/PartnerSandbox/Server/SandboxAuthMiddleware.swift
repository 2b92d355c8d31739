import HTTPTypes
import OpenAPIRuntime

/// Checks credentials as the reference describes, before any handler runs, and tells the
/// handlers who the caller is (`Principal.current`).
/// - Partner API: `X-API-Key` (the partner key) or `Authorization: Bearer <token from /token>`.
/// - Messaging API: `D360-API-KEY`, one channel's current key.
/// Missing or wrong credentials are 401; right credentials for another partner are 403
/// (decided by the handlers, which know the partner in the path).
struct SandboxAuthMiddleware: ServerMiddleware {
    enum Family: Sendable { case partner, messaging }

    let family: Family
    let store: SandboxStore
    let tokens: TokenBook
    /// `FaultSettings.failChannels`.
    var failChannels: Set<String> = []

    static let apiKey = HTTPField.Name("X-API-Key")!
    static let channelKey = HTTPField.Name("D360-API-KEY")!

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let principal = try await authenticate(request, operationID: operationID)
        if !failChannels.isEmpty, let id = Self.channel(of: principal, path: request.path ?? ""), failChannels.contains(id) {
            throw SandboxError.unavailable("Channel \(id) is unavailable (sandbox --fail-channel)")
        }
        return try await Principal.$current.withValue(principal) { try await next(request, body, metadata) }
    }

    /// The channel a request is about: the caller for the Messaging API, the id after
    /// `/channels/` in a Partner API path.
    static func channel(of principal: Principal, path: String) -> String? {
        if case .channel(let id) = principal { return id }
        guard let range = path.range(of: "/channels/") else { return nil }
        let id = path[range.upperBound...].prefix { $0 != "/" && $0 != "?" }
        return id.isEmpty ? nil : String(id)
    }

    private func authenticate(_ request: HTTPRequest, operationID: String) async throws -> Principal {
        let headers = request.headerFields
        switch family {
        case .partner:
            if operationID == "createToken" { return .anonymous }
            let partner = await store.state.partner
            if let key = headers[Self.apiKey] {
                guard key == partner.apiKey else { throw SandboxError.unauthorized("Invalid API key") }
                return .partner(id: partner.id)
            }
            if let authorization = headers[.authorization] {
                let parts = authorization.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer", tokens.isValid(String(parts[1])) else {
                    throw SandboxError.unauthorized("Invalid or expired token")
                }
                return .partner(id: partner.id)
            }
            if headers[Self.channelKey] != nil {
                throw SandboxError.unauthorized("The Partner API does not accept D360-API-KEY; send the partner key as X-API-Key")
            }
            throw SandboxError.unauthorized("Missing credentials: send X-API-Key")
        case .messaging:
            guard let key = headers[Self.channelKey] else {
                if headers[Self.apiKey] != nil || headers[.authorization] != nil {
                    throw SandboxError.unauthorized("The Messaging API accepts only a channel's D360-API-KEY")
                }
                throw SandboxError.unauthorized("Missing D360-API-KEY")
            }
            guard let channel = await store.channel(withKey: key) else {
                throw SandboxError.unauthorized("Invalid D360-API-KEY")
            }
            return .channel(id: channel.id)
        }
    }
}
