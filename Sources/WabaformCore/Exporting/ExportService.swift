import Foundation
import WabaformConfig

/// `wabaform export` without the command line: resolve the partner and connection, read
/// live state read-only, make the export and check it plans clean.
///
/// It reads the partner once, the channel list pages, and — when webhooks are exported —
/// the webhook of each channel with a known key (one read each). It holds only a
/// `ReadOnlyPartnerAPI`, so no code path here can write.
public enum ExportService {
    /// The same inputs as a plan: `-f` paths (empty = export everything), the working
    /// directory, the connection, --strict.
    public typealias Request = PlanService.Request

    public struct Report: Sendable {
        /// Diagnostics of the config named with `-f`.
        public var diagnostics: [Diagnostic] = []
        /// Non-empty means exit 1 and nothing written.
        public var errors: [ServiceError] = []
        /// Values not read or not writable, a deprecated sign-in.
        public var warnings: [String] = []
        /// Answers that said "later" (429, the usage-limit 400) during the read.
        public var throttled = 0
        public var export: Exporter.Result?

        public var failed: Bool { !errors.isEmpty || diagnostics.contains(where: \.isError) }
    }

    /// `layout`: one file (or stdout), or a directory of parts (`Exporter.Layout`).
    public static func run(
        _ request: Request, schemaURL: String? = nil, layout: Exporter.Layout = .file,
        progress: (@Sendable (LiveStateReader.Progress) -> Void)? = nil
    ) async -> Report {
        var report = Report()
        guard let (partnerID, connection, options) = prepare(request, into: &report) else { return report }
        let snapshot: LiveSnapshot
        do {
            snapshot = try await ReadOnlyPartnerAPI.withReader(connection.client) { reader in
                defer { report.throttled = reader.throttled }
                return try await read(
                    reader, keys: connection.keys, webhooks: options.channelWebhooks, wabas: options.wabaWebhooks, progress: progress)
            }
        } catch {
            report.errors.append(ServiceError(error))
            return report
        }
        if snapshot.partner.id != partnerID {
            report.errors.append(.failed("the API answered for partner \(snapshot.partner.id), not \(partnerID)"))
            return report
        }
        let result = Exporter.export(snapshot, options: options, schemaURL: schemaURL, layout: layout)
        report.warnings += result.model.warnings
        if case .file(let maxBytes) = layout, result.text.utf8.count > maxBytes {
            report.errors.append(.failed(Self.tooLarge(bytes: result.text.utf8.count, maxBytes: maxBytes)))
            return report
        }
        let problems = ExportCheck.problems(result, snapshot: snapshot, partBytes: layout.maxBytes)
        if !problems.isEmpty {
            report.errors.append(
                .bug(
                    "the export would not plan to no changes, so it is not written (a wabaform bug; please report it): "
                        + problems.prefix(10).joined(separator: "; ") + (problems.count > 10 ? "; …" : "")))
            return report
        }
        if request.strict, !report.warnings.isEmpty {
            report.errors += report.warnings.map(ServiceError.strict)
            report.warnings = []
            return report
        }
        report.export = result
        return report
    }

    /// Why an export of `bytes` is not written as one file, and what to do instead.
    static func tooLarge(bytes: Int, maxBytes: Int = ConfigLimits.maxFileBytes) -> String {
        let limit = maxBytes % 1_048_576 == 0 ? String(maxBytes / 1_048_576) : ConfigLimits.mebibytes(maxBytes)
        return "the export is \(ConfigLimits.mebibytes(bytes)) MiB, more than the \(limit) MiB wabaform reads from one config file, "
            + "so nothing is written: export into a directory instead (--out DIR/), which writes it as files of at most that size "
            + "that plan -f DIR reads together"
    }

    /// The partner id, the connection and what to export: from `-f CONFIG` as `plan` reads
    /// it, or without a config from `WABAFORM_PARTNER_ID`.
    private static func prepare(
        _ request: Request, into report: inout Report
    ) -> (String, ConnectionSettings.Resolved, ExportOptions)? {
        if !request.paths.isEmpty {
            var planReport = PlanService.Report()
            let prepared = PlanService.prepare(
                PlanService.Request(paths: request.paths, workingDirectory: request.workingDirectory, connection: request.connection),
                into: &planReport)
            report.diagnostics = planReport.diagnostics
            report.errors += planReport.errors
            report.warnings += planReport.warnings
            guard let prepared else { return nil }
            return (prepared.partnerID, prepared.connection, .managed(by: prepared.config))
        }
        guard let partnerID = request.connection.environment["WABAFORM_PARTNER_ID"], !partnerID.isEmpty else {
            report.errors.append(.usage("no partner id: set WABAFORM_PARTNER_ID, or name a config with -f to take partner.id from it"))
            return nil
        }
        do {
            let resolved = try request.connection.resolve(partnerID: partnerID)
            report.warnings += resolved.warnings
            return (partnerID, resolved, .everything)
        } catch {
            report.errors.append(.usage(error.description))
            return nil
        }
    }

    private static func read(
        _ source: any LiveStateSource, keys: ChannelKeys, webhooks: Bool, wabas: Bool,
        progress: (@Sendable (LiveStateReader.Progress) -> Void)?
    ) async throws -> LiveSnapshot {
        let result = try await LiveStateReader(
            client: source, keys: keys, wabaSelection: { all in wabas ? all.map(\.id) : [] }
        ).read(
            webhooksOf: { channels in webhooks ? channels.map(\.id) : [] }, progress: progress)
        // An export with a webhook missing because one read failed would silently drop it.
        let failed = result.failedReads.sorted(by: { $0.key < $1.key }).map { "channel \($0.key): \($0.value)" }
        if !failed.isEmpty { throw IncompleteRead(failures: failed) }
        return result.snapshot
    }

    struct IncompleteRead: Error, CustomStringConvertible {
        var failures: [String]
        var description: String {
            "\(failures.count) webhook read(s) failed after every retry, so the export is not written; run it again: "
                + failures.prefix(5).joined(separator: "; ") + (failures.count > 5 ? "; …" : "")
        }
    }
}
