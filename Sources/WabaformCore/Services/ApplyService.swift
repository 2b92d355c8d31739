import Foundation
import WabaformConfig

/// `wabaform apply [PLANFILE]` without the command line: plan (or check a saved plan), show
/// it, check the guards, ask, write, verify. Every outcome is a value and an exit code.
public enum ApplyService {
    public struct Request: Sendable {
        public var plan: PlanService.Request
        /// A saved plan to apply instead of a fresh one.
        public var planFile: String?
        /// The guards the user consented to pass.
        public var consent: ApplyGuards.Consent
        public var dryRun = false
        /// The per-partner lock to hold from before reading until the last write (nil = none).
        public var lock: ApplyLock.Settings?
        /// Told once when another apply holds the lock and this one waits.
        public var onLockWait: @Sendable (String) -> Void = { _ in }
        /// A soft stop (Ctrl-C): no write starts after it.
        public var stop: ApplyStop?
        /// How WABA webhook writes are read back (`--waba-readback-timeout`).
        public var wabaReadback = WABAReadback()

        public init(plan: PlanService.Request, planFile: String? = nil, consent: ApplyGuards.Consent = []) {
            self.plan = plan
            self.planFile = planFile
            self.consent = consent
        }
    }

    public enum Confirmation: Sendable {
        case yes
        case no
        /// No terminal to ask on, and no --auto-approve.
        case cannotAsk
    }

    public struct Report: Sendable {
        public var plan = PlanService.Report()
        /// Why apply stopped before any write (exit 4).
        public var blocked: [String] = []
        /// With --dry-run: the requests apply would send.
        public var dryRun: [DescribedRequest]?
        public var ledger: ApplyLedger?

        /// The exit status of the contract (`ExitStatus`): 1 error, 4 blocked, 3 partial, 0 done.
        public var status: ExitStatus { ExitStatus(self) }
    }

    /// - Parameters:
    ///   - show: called with the plan before guards and confirmation (not for an empty plan).
    ///   - confirm: asked before writing a fresh plan (never for a saved plan or a dry run).
    public static func run(
        _ request: Request,
        progress: (@Sendable (LiveStateReader.Progress) -> Void)? = nil,
        show: @Sendable (Plan) -> Void,
        confirm: @Sendable (Plan) async -> Confirmation
    ) async -> Report {
        var report = Report()
        var planRequest = request.plan
        var saved: SavedPlan?
        if let file = request.planFile {
            do {
                saved = try SavedPlan.decode(Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                report.plan.errors.append(.usage(SavedPlan.readProblem(file, error: error)))
                return report
            }
            // The plan's own config files, unless -f names others.
            if planRequest.paths.isEmpty { planRequest.paths = saved?.configFiles ?? [] }
            // The plan's own targets: it is checked and applied as it was made.
            let savedTargets = saved?.targets ?? []
            if !planRequest.targets.isEverything, planRequest.targets.addresses != savedTargets.sorted() {
                report.plan.errors.append(
                    .usage(
                        "--target cannot change the targets of a saved plan (\(savedTargets.isEmpty ? "none" : savedTargets.joined(separator: " "))); make a new plan with the targets you want"
                    ))
                return report
            }
            do { planRequest.targets = try PlanTargets(savedTargets) } catch {
                report.plan.errors.append(.usage("the saved plan \(file) has a bad target: \(error.description)"))
                return report
            }
        }
        if let saved, let refusal = SavedPlanCheck.formatRefusal(saved) {
            report.blocked = [refusal]
            return report
        }
        guard let prepared = PlanService.prepare(planRequest, into: &report.plan) else { return report }
        var lock: ApplyLock?
        if let settings = request.lock, !request.dryRun {
            do {
                lock = try await ApplyLock.acquire(
                    partnerID: prepared.partnerID, apiURL: prepared.connection.client.endpoints.apiURL.absoluteString,
                    settings: settings, environment: planRequest.connection.environment,
                    onWait: request.onLockWait)
            } catch let error as ApplyLock.Unavailable {
                report.blocked = [error.description]
                return report
            } catch {
                report.plan.errors.append(ServiceError(error))
                return report
            }
        }
        defer { lock?.release() }
        do {
            try await PartnerAPIClient.withClient(prepared.connection.client) { client in
                let reader = LiveStateReader(client: client, keys: prepared.connection.keys)
                let keys = await PlanService.plan(
                    prepared, reader: reader, strict: planRequest.strict, failedReads: .skip, progress: progress, into: &report.plan)
                guard !report.plan.failed, let plan = report.plan.plan else { return }
                let unread = unreadEntries(report.plan.unread, saved: saved)
                if request.dryRun { report.plan.warnings += unread.map { "\($0.address): \($0.reason ?? "")" } }

                if let saved {
                    let endpoints = prepared.connection.client.endpoints
                    let digester = Digester(salt: saved.salt, credentials: prepared.connection.client.credentials)
                    let digest = digester.digest(prepared.config, partnerID: prepared.partnerID)
                    report.blocked = SavedPlanCheck.differences(
                        saved: saved, fresh: plan, digester: digester, configDigest: digest, apiURL: endpoints.apiURL.absoluteString,
                        messagingURL: endpoints.messagingURL.absoluteString, unread: Set(unread.map(\.address)))
                    guard report.blocked.isEmpty else { return }
                }
                guard !plan.isEmpty else {
                    if !unread.isEmpty, !request.dryRun { report.ledger = ApplyLedger(entries: unread) }
                    return
                }
                show(plan)
                let guards = ApplyGuards.blocks(
                    plan: plan, totalChannels: report.plan.totalChannels, consent: request.consent)
                if request.dryRun {
                    report.plan.warnings += guards.map { "apply would stop here: \($0)" }
                    report.dryRun = ApplyStep.steps(for: plan).flatMap {
                        $0.requests(endpoints: prepared.connection.client.endpoints, partnerID: prepared.partnerID)
                    }
                    return
                }
                guard guards.isEmpty else {
                    report.blocked = guards
                    return
                }
                if saved == nil {
                    switch await confirm(plan) {
                    case .yes: break
                    case .no:
                        report.blocked = ["apply cancelled: the answer was not \"yes\"; nothing was changed"]
                        return
                    case .cannotAsk:
                        report.blocked = [
                            "no terminal to confirm on: pass --auto-approve, or apply a reviewed plan file (wabaform plan --out FILE; wabaform apply FILE)"
                        ]
                        return
                    }
                }
                if let stop = request.stop, !stop.beginWriting() {
                    report.blocked = ["\(stop.stopReason ?? "stopped") before any write: nothing was changed"]
                    return
                }
                let applier = Applier(
                    client: client, keys: keys, parallelism: planRequest.connection.parallelism,
                    stop: request.stop, wabaReadback: request.wabaReadback)
                let ledger = await applier.apply(plan, progress: Self.writeProgress(progress))
                report.ledger = ApplyLedger(entries: ledger.entries + unread)
                report.plan.throttled = client.throttled
            }
        } catch {
            report.plan.errors.append(ServiceError(error))
        }
        return report
    }

    /// Ledger entries for the attributes whose live value could not be read: skipped, with
    /// the planned action when a saved plan names one.
    static func unreadEntries(_ unread: [Unknown], saved: SavedPlan?) -> [ApplyLedger.Entry] {
        let savedActions = Dictionary((saved?.changes ?? []).map { ($0.address, $0.action) }, uniquingKeysWith: { first, _ in first })
        return unread.map { unknown in
            ApplyLedger.Entry(
                address: unknown.address, action: savedActions[unknown.address], outcome: .skipped,
                reason: "nothing was written: \(unknown.reason)")
        }
    }

    /// Apply's writes reported as the stage "changes" (done/total steps).
    static func writeProgress(
        _ progress: (@Sendable (LiveStateReader.Progress) -> Void)?
    ) -> (@Sendable (Int, Int) -> Void)? {
        guard let progress else { return nil }
        return { done, total in progress(LiveStateReader.Progress(stage: "changes", done: done, total: total)) }
    }
}
