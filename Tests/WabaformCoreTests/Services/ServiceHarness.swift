import Foundation
import PartnerSandbox
import WabaformTestSupport
@testable import WabaformCore

/// Service requests pointed at an in-process sandbox, as the CLI would build them from the
/// sandbox's printed export lines: plan, apply and drift called without the binary.
enum ServiceHarness {
    /// The repository's `examples/quickstart`: against the demo seed it plans every kind of change.
    static let quickstart = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/quickstart").path

    /// The CLI's attempts per request, with waits of milliseconds instead of seconds: what is
    /// retried and how often stays the same, only the sleeping goes.
    static let quickRetries = RetryPolicy(
        maxAttempts: RetryPolicy.standard.maxAttempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(20),
        maxThrottledAttempts: RetryPolicy.standard.maxThrottledAttempts)

    /// A plan request for `paths` with the partner's credentials and the key of every channel
    /// (except those `withoutKey` names) in the environment, plus `environment`.
    static func request(
        _ sandbox: RunningSandbox, paths: [String] = [quickstart], environment extra: [String: String] = [:],
        withoutKey: (String) -> Bool = { _ in false }, targets: PlanTargets = .everything,
        parallelism: Int = 8, retryPolicy: RetryPolicy = .standard
    ) async -> PlanService.Request {
        var environment = ["WABAFORM_API_KEY": sandbox.partnerKey, "WABAFORM_PARTNER_ID": sandbox.partnerID]
        for (id, channel) in await sandbox.store.state.channels where !withoutKey(id) {
            environment["WABAFORM_CHANNEL_KEY_\(id)"] = channel.apiKey
        }
        environment.merge(extra) { _, new in new }
        var connection = ConnectionSettings(apiURL: sandbox.apiURL, messagingURL: sandbox.messagingURL, environment: environment)
        connection.parallelism = parallelism
        connection.retryPolicy = retryPolicy
        var request = PlanService.Request(
            paths: paths, workingDirectory: FileManager.default.temporaryDirectory.path, connection: connection)
        request.targets = targets
        return request
    }

    /// `text` written as `wabaform.yaml` in a fresh directory; its path.
    static func configFile(_ text: String) throws -> String {
        let directory = URL(fileURLWithPath: try Scratch.directory("service"))
        let file = directory.appendingPathComponent("wabaform.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// Requests the sandbox saw other than GET (writes and sign-ins).
    static func writes(_ sandbox: RunningSandbox) -> Int {
        sandbox.stats.snapshot().filter { $0.key.method != "GET" }.reduce(0) { $0 + $1.count }
    }

    /// Apply with consent for every guard, as `apply --auto-approve --allow-disruptive --allow-mass-change`.
    static func applyApproved(_ plan: PlanService.Request) async -> ApplyService.Report {
        await ApplyService.run(
            ApplyService.Request(plan: plan, consent: [.disruptive, .massChange]), show: { _ in }, confirm: { _ in .yes })
    }

    /// Addresses of the ledger's entries whose outcome is not `applied`.
    static func notApplied(_ report: ApplyService.Report) -> Set<String> {
        Set((report.ledger?.entries ?? []).filter { $0.outcome != .applied }.map(\.address))
    }
}
