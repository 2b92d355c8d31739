import HTTPTypes

/// An error the sandbox answers in 360dialog's envelope:
/// `{"meta": {"success": false, "http_code": N, "developer_message": "...", "360dialog_trace_id": "..."}}`.
struct SandboxError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    static func badRequest(_ message: String) -> SandboxError { .init(status: .badRequest, message: message) }
    static func unauthorized(_ message: String) -> SandboxError { .init(status: .unauthorized, message: message) }
    static func forbidden(_ message: String) -> SandboxError { .init(status: .forbidden, message: message) }
    static func notFound(_ message: String) -> SandboxError { .init(status: .notFound, message: message) }
    static func unavailable(_ message: String) -> SandboxError { .init(status: .serviceUnavailable, message: message) }
}
