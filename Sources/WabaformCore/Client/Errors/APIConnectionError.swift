/// A request that got no HTTP answer: the host refused or dropped the connection, or did
/// not answer within the timeout. Its description names the host and, for a timeout, the
/// limit, e.g. `GET partner demoPA failed: no answer from hub.360dialog.io within 30 s`.
public struct APIConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Nothing answered within the request timeout.
        case timedOut(Duration)
        /// The connection could not be made (refused, unreachable, name not resolved).
        case unreachable(String)
        /// The connection closed before a whole answer arrived.
        case closed
        /// The answer could not be used (e.g. too large, not what the contract describes).
        case invalidResponse(String)
        /// Any other transport failure, described.
        case other(String)
    }

    public var operation: String
    /// `host` or `host:port` of the API.
    public var host: String
    public var reason: Reason
    /// The number of attempts made.
    public var attempts = 1

    public var description: String {
        var text = "\(operation) failed: "
        switch reason {
        case .timedOut(let limit): text += "no answer from \(host) within \(Self.format(limit))"
        case .unreachable(let detail): text += "cannot connect to \(host) (\(detail))"
        case .closed: text += "\(host) closed the connection before answering"
        case .invalidResponse(let detail): text += "unusable answer from \(host): \(detail)"
        case .other(let detail): text += "request to \(host) failed: \(detail)"
        }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        let milliseconds = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1_000 == 0 ? "\(milliseconds / 1_000) s" : "\(milliseconds) ms"
    }
}
