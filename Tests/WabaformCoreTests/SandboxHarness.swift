import Foundation
import Logging
import PartnerAPIRules
import PartnerSandbox
import Synchronization
import Testing
@testable import WabaformCore

/// Helpers to point a `PartnerAPIClient` at an in-process sandbox.
enum Harness {
    static func endpoints(_ sandbox: RunningSandbox) throws -> Endpoints {
        try Endpoints.resolve(apiURL: sandbox.apiURL, messagingURL: sandbox.messagingURL, environment: [:])
    }

    static func configuration(
        _ sandbox: RunningSandbox, credentials: PartnerCredentials? = nil, partnerID: String? = nil,
        parallelism: Int = 8, requestsPerSecond: Double? = nil, timeout: Duration = .seconds(10),
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(1), maxDelay: .milliseconds(20)),
        clock: any APIClock = SystemAPIClock(), logger: Logger = Harness.quiet
    ) throws -> PartnerAPIClient.Configuration {
        PartnerAPIClient.Configuration(
            endpoints: try endpoints(sandbox), credentials: credentials ?? .apiKey(Secret(sandbox.partnerKey)),
            partnerID: partnerID ?? sandbox.partnerID, parallelism: parallelism, requestsPerSecond: requestsPerSecond,
            timeout: timeout, retryPolicy: retryPolicy, clock: clock, logger: logger)
    }

    /// Every channel's current key, as a keys file would give them.
    static func keys(_ sandbox: RunningSandbox) async -> ChannelKeys {
        let channels = await sandbox.store.state.channels
        return ChannelKeys(channels.mapValues { Secret($0.apiKey) }, source: "test keys")
    }

    /// Requests counted by the sandbox for one method and route, per status.
    static func count(_ sandbox: RunningSandbox, _ method: String, _ route: String, status: Int? = nil) -> Int {
        sandbox.stats.snapshot()
            .filter { $0.key.method == method && $0.key.route == route && (status == nil || $0.key.status == status) }
            .reduce(0) { $0 + $1.count }
    }

    /// Retries are logged at notice; the suite's output stays readable without them.
    static let quiet = Logger(label: "wabaform.test") { _ in SwiftLogNoOpLogHandler() }

    static let channelsRoute = "/api/v2/partners/{partner_id}/channels"
    static let partnerRoute = "/api/v2/partners/{partner_id}"
    static let tokenRoute = "/api/v2/token"
    static let webhookRoute = "/v1/configs/webhook"
}

/// A swift-log handler that keeps every message, with its metadata, for assertions.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger(label: String = "wabaform.test") -> Logger {
        var logger = Logger(label: label) { _ in Handler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            sink.append("\(event.level) \(event.message) \(fields)")
        }
    }
}
