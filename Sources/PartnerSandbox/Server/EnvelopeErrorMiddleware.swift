import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Turns every error of the OpenAPI layer into 360dialog's error envelope: the sandbox's own
/// errors keep their status; a request that does not decode (bad JSON, wrong types, unknown
/// fields where the contract forbids them) is 400 "Wrong payload".
struct EnvelopeErrorMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as SandboxError {
            return Self.response(error)
        } catch let error as ServerError {
            if let sandboxError = error.underlyingError as? SandboxError { return Self.response(sandboxError) }
            if error.operationInput == nil {
                return Self.response(.badRequest("Wrong payload: \(Self.summary(of: error))"))
            }
            return Self.response(.init(status: .internalServerError, message: "Internal error"))
        }
    }

    static func summary(of error: ServerError) -> String {
        if let decoding = error.underlyingError as? DecodingError {
            switch decoding {
            case .keyNotFound(let key, _): return "missing field \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
            @unknown default: return "\(decoding)"
            }
        }
        return error.causeDescription
    }

    static func response(_ error: SandboxError) -> (HTTPResponse, HTTPBody?) {
        let body = envelopeJSON(status: error.status.code, message: error.message)
        var fields = error.headers
        fields[.contentType] = "application/json"
        return (HTTPResponse(status: error.status, headerFields: fields), HTTPBody(body))
    }

    static func envelopeJSON(status: Int, message: String) -> String {
        let meta: [String: Any] = [
            "success": false, "http_code": status, "developer_message": message,
            "360dialog_trace_id": TraceID.next(),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: ["meta": meta], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
