/// An API answered with an error status. Its description is the message for the user:
/// the operation, the status, the API's own message and the trace id support asks for,
/// e.g. `GET partner demoPA failed: 401 Invalid API key (trace id sbx-trace-…)`.
/// It never holds a key: messages are redacted of every secret the request carried.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, e.g. `GET partner demoPA`, `list channels (offset 1000)`.
    public var operation: String
    /// The HTTP status code.
    public var status: Int
    /// The API's message (`developer_message`, `error`, or the body itself, shortened).
    public var developerMessage: String?
    /// `360dialog_trace_id`, when the API sent one.
    public var traceID: String?
    /// The number of attempts made (more than 1 after retries).
    public var attempts = 1
    /// The wait the API asked for in `Retry-After` (429 and 5xx only).
    public var retryAfter: Duration?
    /// The Messaging API's usage limit: HTTP 400 "You have exceeded the limit…" [doc], which
    /// means "later", like a 429 (`APIAssumptions.isUsageLimit`).
    public var isUsageLimit = false
    /// Set once `PartnerAPIClient` has named the operation for the user.
    var isNamed = false

    /// Throttled: 429, or the 400 usage limit. Waited out, never a config error.
    public var isThrottled: Bool { status == 429 || isUsageLimit }

    public var description: String {
        var text = "\(operation) failed: \(status)"
        if let developerMessage, !developerMessage.isEmpty {
            text += " \(developerMessage)"
        } else if let phrase = Self.reasonPhrases[status] {
            text += " \(phrase)"
        }
        if let traceID, !traceID.isEmpty { text += " (trace id \(traceID))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        if let retryAfter, retryAfter > .zero { text += "; the API asked to wait \(APIConnectionError.format(retryAfter))" }
        return text
    }

    /// Equal when everything the user can see is equal.
    public static func == (a: APIError, b: APIError) -> Bool {
        (a.operation, a.status, a.developerMessage, a.traceID, a.attempts, a.retryAfter)
            == (b.operation, b.status, b.developerMessage, b.traceID, b.attempts, b.retryAfter)
    }

    /// Whether the credentials were refused (401) or lack permission (403).
    public var isAuthenticationFailure: Bool { status == 401 || status == 403 }

    static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
        422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
        502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
