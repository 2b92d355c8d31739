import AsyncHTTPClient
import Foundation
import NIOCore
import OpenAPIRuntime

/// What a transport error means for the user and for retrying.
///
/// AsyncHTTPClient keeps trying to open a connection until the connect timeout runs out,
/// so a connection that could not be made at all is reported, not retried again; a
/// request whose connection closed, or that got no answer in time, is retried.
enum TransportFailure {
    /// Whether the error is (or stands for) cancellation: never retried, never rewritten.
    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? HTTPClientError, error == .cancelled || error == .requestStreamCancelled { return true }
        return false
    }

    /// The reason to show for a transport error; nil for cancellation.
    static func reason(for error: any Error, timeout: Duration) -> APIConnectionError.Reason? {
        if isCancellation(error) { return nil }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .timedOut(timeout)
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .unreachable("no connection within \(APIConnectionError.format(HTTPClientFactory.connectTimeout(for: timeout)))")
            case .remoteConnectionClosed, .uncleanShutdown: return .closed
            default: return .other(error.description)
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .unreachable("connection refused")
            case ECONNRESET, EPIPE: return .closed
            case ETIMEDOUT: return .timedOut(timeout)
            default: return .unreachable(error.description)
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return .unreachable("no connection within \(APIConnectionError.format(HTTPClientFactory.connectTimeout(for: timeout)))")
            case .ioOnClosedChannel, .eof, .alreadyClosed, .outputClosed, .inputClosed: return .closed
            default: return .other("\(error)")
            }
        }
        if error is DecodingError { return .invalidResponse("the answer does not match the API contract") }
        let text = String(describing: error)
        if text.contains("Connection refused") { return .unreachable("connection refused") }
        if text.contains("DNS error") { return .unreachable("host name not found") }
        if text.contains("Connection reset") { return .closed }
        // NIOSSL handshake errors describe BoringSSL internals (and source paths).
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificateVerifyFailed") {
            return .unreachable("its TLS certificate could not be verified; wabaform always verifies certificates")
        }
        if text.contains("handshakeFailed") { return .unreachable("the TLS handshake failed") }
        // OpenAPIRuntime's TooManyBytesError reads "… contains more than the maximum allowed N bytes".
        if text.contains("TooManyBytesError") || text.contains("too many bytes") || text.contains("more than the maximum allowed") {
            return .invalidResponse("the answer is larger than wabaform accepts (\(ThrottleMiddleware.maxResponseBytes >> 20) MiB)")
        }
        return .other(text)
    }

    /// Whether a request that failed this way is worth sending again.
    static func isRetryable(_ reason: APIConnectionError.Reason) -> Bool {
        switch reason {
        case .timedOut, .closed: true
        case .unreachable, .invalidResponse, .other: false
        }
    }
}
