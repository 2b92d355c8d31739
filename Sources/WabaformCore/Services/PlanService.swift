import Foundation
import WabaformConfig

/// `wabaform plan` without the command line: load the config, read live state, plan.
/// Every outcome a user can meet is a value here, so the command only prints and exits.
public enum PlanService {
    public struct Request: Sendable {
        public var paths: [String]
        public var workingDirectory: String
        public var connection: ConnectionSettings
        /// `--strict`: warnings (unknown values, selects matching nothing) are errors.
        public var strict = false
        /// `--target`: what is read and planned; `.everything` without targets.
        public var targets = PlanTargets.everything

        public init(paths: [String], workingDirectory: String, connection: ConnectionSettings) {
            self.paths = paths
            self.workingDirectory = workingDirectory
            self.connection = connection
        }
    }

    public struct Report: Sendable {
        /// Config diagnostics and plan-time diagnostics (errors and warnings), sorted.
        public var diagnostics: [Diagnostic] = []
        /// The plan, when the config loaded and live state could be read.
        public var plan: Plan?
        /// Errors that are not about a place in the config (API, credentials, rejected keys,
        /// unknowns under --strict). Non-empty means exit 1.
        public var errors: [ServiceError] = []
        /// Warnings that are not about a place in the config (unknowns, deprecated sign-in).
        public var warnings: [String] = []
        /// Answers that said "later" (429, the usage-limit 400) during the run: each was waited
        /// out (or, past the retry limit, reported as an error). Shown so throttling is seen.
        public var throttled = 0
        /// With `FailedReads.skip` (apply): managed attributes whose live value could not be
        /// read after every retry. Not planned; apply lists them as skipped (exit 3).
        public var unread: [Unknown] = []
        public var config: DesiredConfig?
        public var partnerID: String?
        public var endpoints: Endpoints?
        /// The partner credential in use, to key a saved plan's digests (never printed).
        public var credentials: PartnerCredentials?
        /// All channels of the partner, for the mass-change guard (with `--target`: those read).
        public var totalChannels = 0
        /// The `--target` addresses planned with.
        public var targets: PlanTargets = .everything

        public var failed: Bool { !errors.isEmpty || diagnostics.contains(where: \.isError) }
    }

    /// Everything checked before any request: the config loaded, the partner id, endpoints,
    /// credentials and channel keys resolved.
    public struct Prepared: Sendable {
        public var config: DesiredConfig
        public var partnerID: String
        public var connection: ConnectionSettings.Resolved
        public var targets: PlanTargets = .everything
    }

    public static func run(
        _ request: Request, progress: (@Sendable (LiveStateReader.Progress) -> Void)? = nil
    ) async -> Report {
        var report = Report()
        guard let prepared = prepare(request, into: &report) else { return report }
        do {
            try await PartnerAPIClient.withClient(prepared.connection.client) { client in
                await plan(
                    prepared, reader: LiveStateReader(client: client, keys: prepared.connection.keys),
                    strict: request.strict, progress: progress, into: &report)
            }
        } catch {
            report.errors.append(ServiceError(error))
        }
        return report
    }

    public static func prepare(_ request: Request, into report: inout Report) -> Prepared? {
        let loaded = ConfigLoader.load(
            paths: request.paths, workingDirectory: request.workingDirectory, environment: request.connection.environment)
        report.diagnostics = loaded.diagnostics
        guard let config = loaded.config else { return nil }
        report.config = config

        guard let partnerID = config.partner?.id ?? request.connection.environment["WABAFORM_PARTNER_ID"], !partnerID.isEmpty else {
            report.errors.append(.usage("no partner id: set partner.id in the config, or WABAFORM_PARTNER_ID"))
            return nil
        }
        report.partnerID = partnerID
        let resolved: ConnectionSettings.Resolved
        do { resolved = try request.connection.resolve(partnerID: partnerID) } catch {
            report.errors.append(.usage(error.description))
            return nil
        }
        report.endpoints = resolved.client.endpoints
        report.credentials = resolved.client.credentials
        report.warnings += resolved.warnings
        if !request.targets.isEverything {
            report.warnings.append(
                "--target \(request.targets.addresses.joined(separator: " ")): only these addresses are read and planned; the plan says nothing of the rest"
            )
        }
        report.targets = request.targets
        return Prepared(config: config, partnerID: partnerID, connection: resolved, targets: request.targets)
    }

    /// What a channel read that failed after every retry means for the run.
    public enum FailedReads: Sendable {
        /// An error (plan, drift): the rest of the plan is shown, the exit code is 1.
        case error
        /// Not planned this run (apply): `report.unread` lists them, the rest goes ahead.
        case skip
    }

    /// Reads live state and plans; fills `report.plan` (unless there are errors). Returns the
    /// channel keys the read used (with the keys command's answer), for writing.
    @discardableResult
    public static func plan(
        _ prepared: Prepared, reader: LiveStateReader, strict: Bool, failedReads: FailedReads = .error,
        progress: (@Sendable (LiveStateReader.Progress) -> Void)?, into report: inout Report
    ) async -> ChannelKeys {
        let result: LiveStateReader.Result
        let config = prepared.config
        var reader = reader
        reader.wabaSelection = { Planner.wabasWithManagedWebhook(config: config, wabas: $0) }
        defer { report.throttled = reader.client.throttled }
        do {
            let read = try await reader.read(
                targets: prepared.targets, partnerID: prepared.partnerID,
                webhooksOf: { Planner.channelsWithManagedWebhook(config: config, channels: $0) }, progress: progress)
            result = read.result
            for id in read.missing {
                report.errors.append(.usage("--target: partner \(prepared.partnerID) has no channel with id \(id)"))
            }
        } catch {
            report.errors.append(ServiceError(error))
            return reader.keys
        }
        report.totalChannels = result.snapshot.channels.count
        let outcome = Planner.plan(
            config: prepared.config, partnerID: prepared.partnerID, live: result.snapshot, targets: prepared.targets)
        report.diagnostics = (report.diagnostics + outcome.diagnostics).sortedForOutput()
        guard let plan = outcome.plan else { return result.keys }
        report.plan = plan
        // Rejected keys: each channel's webhook is unknown (in the plan); said once for the fleet.
        if let message = rejectedKeysMessage(Array(result.rejectedKeys.keys)) {
            if strict { report.errors.append(.strict(message)) } else { report.warnings.append(message) }
        }
        var notes: [SayOnce.Note] = []
        for unknown in plan.unknowns {
            // Rejected keys and failed reads make a channel's webhook unknown.
            let channelID: String? =
                if case .channel(let channel) = unknown.resource, unknown.address == "\(unknown.resource.address).webhook" {
                    channel.id
                } else { nil }
            if let channelID, result.rejectedKeys[channelID] != nil { continue }
            if let channelID, let reason = result.failedReads[channelID] {
                switch failedReads {
                case .error:
                    report.errors.append(
                        .failed("\(unknown.address): reading its live value failed after every retry (\(reason)); run again"))
                case .skip: report.unread.append(unknown)
                }
                continue
            }
            guard case .channel(let channel) = unknown.resource else {
                let message = "\(unknown.address) is unknown: \(unknown.reason)"
                if strict { report.errors.append(.strict(message)) } else { report.warnings.append(message) }
                continue
            }
            let subject = String(unknown.address.dropFirst(unknown.resource.address.count + 1))
            notes.append(SayOnce.Note(channelID: channel.id, subject: subject, text: unknown.reason))
        }
        // A fleet-wide fact (no key for many channels, a field no channel carries) is one line.
        let messages = SayOnce.lines(
            notes, single: { "channel.\($0.channelID).\($0.subject) is unknown: \($0.text)" },
            many: { count, example, generic in
                "\(example.subject) of \(count) channels is unknown: \(generic) (e.g. channel.\(example.channelID).\(example.subject))"
            })
        for message in messages {
            if strict { report.errors.append(.strict(message)) } else { report.warnings.append(message) }
        }
        if strict {
            report.errors += plan.warnings.map(ServiceError.strict)
        }
        return result.keys
    }

    /// One line for every channel whose key the Messaging API rejected; nil when none was.
    public static func rejectedKeysMessage(_ channelIDs: [String]) -> String? {
        guard !channelIDs.isEmpty else { return nil }
        let ids = channelIDs.sorted()
        let named = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", …" : "")
        let subject = ids.count == 1 ? "the key for 1 channel was" : "the keys for \(ids.count) channels were"
        return "\(subject) rejected (\(named)); a newer key may have been generated: those webhooks are unknown and "
            + "will not be changed until the keys are updated where they are kept"
    }
}
