import AsyncHTTPClient
import NIOCore

/// The one AsyncHTTPClient the API client uses: certificates always verified (the
/// default TLS configuration), redirects never followed (a 3xx becomes an error naming the
/// target host, so credentials never travel to another host), a connect and a read timeout
/// on every connection, a pool as wide as `--parallelism`, and no tracing spans.
enum HTTPClientFactory {
    /// How long AsyncHTTPClient keeps trying to connect: the request timeout, at most 10 s.
    static func connectTimeout(for timeout: Duration) -> Duration { min(timeout, .seconds(10)) }

    static func make(parallelism: Int, timeout: Duration) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: nil,
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout(for: timeout)), read: TimeAmount(timeout)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, parallelism)),
            proxy: nil, ignoreUncleanSSLShutdown: false, decompression: .disabled)
        // No tracing: wabaform bootstraps no tracer, so every span went to the no-op tracer,
        // yet AsyncHTTPClient still parsed each request's URL again for the span's attributes
        // (about 35,000 instructions a request; docs/performance.md).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}
