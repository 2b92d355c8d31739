import Foundation
import PartnerAPIRules
import WabaformConfig

/// `wabaform doctor` without the command line: the first thing to run against a real
/// account. It reads — the partner, one or two pages of channels, the webhooks of at most
/// `sample` channels with the keys at hand, and one webhook read with a key that cannot be
/// valid — through a `ReadOnlyPartnerAPI`, which offers no write, and judges every assumption of
/// docs/api-assumptions.md by what it saw (`DoctorAssessment`).
public enum DoctorService {
    public struct Request: Sendable {
        /// Config files (`-f`), read only for `partner.id`; empty: `WABAFORM_PARTNER_ID`.
        public var paths: [String]
        public var workingDirectory: String
        public var connection: ConnectionSettings
        /// At most this many channels' webhooks are read (`--sample`).
        public var sample: Int

        public init(paths: [String], workingDirectory: String, connection: ConnectionSettings, sample: Int = DoctorService.defaultSample) {
            self.paths = paths
            self.workingDirectory = workingDirectory
            self.connection = connection
            self.sample = sample
        }
    }

    public static let defaultSample = 5

    /// The key sent by the invalid-key read: obviously not a key, never a real one.
    static let invalidKey = Secret("wabaform-doctor-not-a-key")

    public static func run(_ request: Request) async -> DoctorReport {
        var report = DoctorReport()
        let partnerID: String
        switch resolvePartnerID(request, into: &report) {
        case .some(let id): partnerID = id
        case .none: return report
        }
        report.partnerID = partnerID
        let resolved: ConnectionSettings.Resolved
        do { resolved = try request.connection.resolve(partnerID: partnerID) } catch {
            report.errors.append(.usage(error.description))
            return report
        }
        report.warnings += resolved.warnings.map(DoctorText.safe)
        report.endpoints = resolved.client.endpoints
        var findings = DoctorFindings(
            endpoints: resolved.client.endpoints, credentials: resolved.client.credentials, partnerID: partnerID,
            keys: resolved.keys, sampleSize: max(0, request.sample))
        findings.requestsPerSecond = resolved.client.requestsPerSecond
        let recorder = RequestRecorder()
        do {
            findings = try await RequestRecorder.$current.withValue(recorder) { [findings] in
                try await ReadOnlyPartnerAPI.withReader(resolved.client) { reader in
                    var findings = findings
                    await gather(reader, into: &findings)
                    return findings
                }
            }
        } catch {
            // Only the client's shutdown can land here; what was gathered is judged anyway.
            report.warnings.append("closing the connections failed: \(DoctorText.safe("\(error)"))")
        }
        findings.attempts = recorder.all
        report.checks = DoctorAssessment.checks(findings)
        report.hosts = DoctorHostStats.summarize(findings.attempts, endpoints: findings.endpoints)
        report.requestsByMethod = Dictionary(findings.attempts.map { ($0.method, 1) }, uniquingKeysWith: +)
        return report
    }

    /// `partner.id` of the config named with -f (or of wabaform.yaml when it exists), else
    /// `WABAFORM_PARTNER_ID`.
    static func resolvePartnerID(_ request: Request, into report: inout DoctorReport) -> String? {
        let environment = request.connection.environment
        let fromEnvironment = environment["WABAFORM_PARTNER_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let defaultConfig = request.workingDirectory + "/" + ConfigLoader.defaultFileName
        if !request.paths.isEmpty || FileManager.default.fileExists(atPath: defaultConfig) {
            let loaded = ConfigLoader.load(paths: request.paths, workingDirectory: request.workingDirectory, environment: environment)
            report.diagnostics = loaded.diagnostics
            guard let config = loaded.config else { return nil }
            if let id = config.partner?.id ?? fromEnvironment, !id.isEmpty { return id }
        } else if let fromEnvironment {
            return fromEnvironment
        }
        report.errors.append(.usage("no partner id: set WABAFORM_PARTNER_ID, or name a config whose partner.id is set with -f PATH"))
        return nil
    }

    // MARK: Reading

    static func gather(_ reader: ReadOnlyPartnerAPI, into findings: inout DoctorFindings) async {
        findings.partner = await outcome { try await reader.partner() }
        findings.tokensFetched = await reader.tokensFetched
        guard case .read = findings.partner else { return }

        let first = await outcome {
            try await reader.channelPage(offset: 0, limit: findings.requestedPageSize, sort: APIAssumptions.channelPageSort)
        }
        findings.firstPage = first
        if case .read(let page) = first {
            if page.total > page.channels.count, !page.channels.isEmpty {
                let step = page.channels.count
                findings.pagingProbe = .nextPage(
                    await outcome {
                        try await reader.channelPage(offset: step, limit: step, sort: APIAssumptions.channelPageSort)
                    })
            } else if page.channels.count >= 2 {
                findings.pagingProbe = .offsetOne(
                    await outcome {
                        try await reader.channelPage(offset: 1, limit: 1, sort: APIAssumptions.channelPageSort)
                    })
            }
        }

        // A key that cannot be valid first: it shows how a refused key is answered, and
        // whether the Messaging API answers at all before the sample waits on it.
        let probe = await webhookRead("(invalid key probe)", keySource: nil) {
            try await reader.channelWebhook(channelID: "(invalid key probe)", key: invalidKey, keySource: nil)
        }
        findings.invalidKeyProbe = probe
        guard !probe.unanswered else { return }
        // The sample: the first channels by id that a key was given for.
        let sampled = findings.channelsRead.filter { findings.keys.entry(for: $0.id) != nil }.prefix(findings.sampleSize)
        for channel in sampled {
            guard let entry = findings.keys.entry(for: channel.id) else { continue }
            findings.webhookReads.append(
                await webhookRead(channel.id, keySource: entry.source) {
                    try await reader.channelWebhook(channelID: channel.id, key: entry.key, keySource: entry.source)
                })
        }
    }

    static func webhookRead(
        _ channelID: String, keySource: String?, _ body: () async throws -> ChannelWebhookRead
    ) async -> DoctorFindings.WebhookRead {
        let (result, attempts) = await RequestRecorder.recording { await outcome(body) }
        return DoctorFindings.WebhookRead(
            channelID: channelID, result: result, statuses: attempts.map(\.status), keySource: keySource)
    }

    static func outcome<T: Sendable>(_ body: () async throws -> T) async -> DoctorFindings.Outcome<T> {
        do {
            return .read(try await body())
        } catch let error as APIError {
            return .refused(status: error.status, message: DoctorText.safe(error.description))
        } catch let error as APIConnectionError {
            if case .invalidResponse = error.reason { return .unusable(DoctorText.safe(error.description)) }
            return .failed(DoctorText.safe(error.description))
        } catch {
            return .failed(DoctorText.safe("\(error)"))
        }
    }
}
