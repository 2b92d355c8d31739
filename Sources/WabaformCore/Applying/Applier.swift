import PartnerAPIRules

/// Carries out a plan: every step with bounded concurrency, a failure on one channel never
/// stopping the others; then reads back every changed attribute, and a value that did not
/// converge is a failure.
///
/// Webhook and partner writes are idempotent and retried by the client. A local storage
/// write is never re-sent without reading the channel back first, and is not sent at all
/// when the channel, re-read just before, is already at the target (another apply got
/// there first) — changing storage can re-register a number, which may happen only 10 times
/// in 72 hours. See `Applier+LocalStorage.swift`.
public struct Applier: Sendable {
    public var client: PartnerAPIClient
    public var keys: ChannelKeys
    public var parallelism: Int
    /// Asked before each write: once a stop is requested (Ctrl-C), no new write starts;
    /// writes in flight finish and are read back.
    public var stop: ApplyStop?
    /// How long a WABA webhook write is read back for (the API applies it asynchronously,
    /// "within the next 15-20 seconds") before it is called "did not converge", and how
    /// often it is read meanwhile (on the client's clock).
    public var wabaReadback: WABAReadback

    public init(client: PartnerAPIClient, keys: ChannelKeys, parallelism: Int, stop: ApplyStop? = nil, wabaReadback: WABAReadback = .init())
    {
        self.client = client
        self.keys = keys
        self.parallelism = parallelism
        self.stop = stop
        self.wabaReadback = wabaReadback
    }

    public func apply(_ plan: Plan, progress: (@Sendable (Int, Int) -> Void)? = nil) async -> ApplyLedger {
        let steps = ApplyStep.steps(for: plan)
        let total = steps.count
        let results: [[ApplyLedger.Entry]]
        do {
            results = try await FanOut.map(steps, width: parallelism, onEach: { progress?($0, total) }) { step in
                await execute(step)
            }
        } catch {
            // Only cancellation reaches here: nothing more is attempted.
            return ApplyLedger(
                entries: plan.changes.map {
                    .init(address: $0.address, action: $0.action, outcome: .skipped, reason: "cancelled before it was attempted")
                })
        }
        var entries = results.flatMap { $0 }
        // Cancelled (the run's deadline): what was written stays listed; reading back would
        // only fail, so it is left to the next plan.
        if !Task.isCancelled { await verify(&entries, plan: plan) }
        let order = Dictionary(plan.changes.enumerated().map { ($1.address, $0) }, uniquingKeysWith: { first, _ in first })
        entries.sort { (order[$0.address] ?? 0) < (order[$1.address] ?? 0) }
        return ApplyLedger(entries: entries)
    }

    // MARK: Writing

    private func execute(_ step: ApplyStep) async -> [ApplyLedger.Entry] {
        func entries(_ outcome: ApplyLedger.Outcome, _ reason: String? = nil) -> [ApplyLedger.Entry] {
            // An API may echo the request (header values, the key) in its error.
            let reason = reason.map(SecretRedactor.shared.redact)
            return step.changes.map { .init(address: $0.address, action: $0.action, outcome: outcome, reason: reason) }
        }
        if Task.isCancelled { return entries(.skipped, "cancelled before it was attempted") }
        if let reason = stop?.stopReason { return entries(.skipped, "not started: \(reason)") }
        do {
            switch step.write {
            case .updatePartner(let webhookURL, let redirectURL, let storage):
                _ = try await client.updatePartner(webhookURL: webhookURL, redirectURL: redirectURL, defaultLocalStorage: storage)
            case .setChannelWebhook(let channelID, let url, let headers):
                guard let entry = keys.entry(for: channelID) else {
                    return entries(
                        .failed, "no channel key for \(channelID): set WABAFORM_CHANNEL_KEY_\(channelID) or add it to the channel keys file"
                    )
                }
                try await client.setChannelWebhook(
                    channelID: channelID, key: entry.key, url: url, headers: headers, keySource: entry.source)
            case .setWABAWebhook(let wabaID, let keyChannelID, let url, let headers, let overrideAll):
                guard let entry = keys.entry(for: keyChannelID) else {
                    return entries(
                        .failed,
                        "no key for channel \(keyChannelID) of WABA \(wabaID): set WABAFORM_CHANNEL_KEY_\(keyChannelID) or add it to the channel keys file"
                    )
                }
                try await client.setWABAWebhook(
                    wabaID: wabaID, channelID: keyChannelID, key: entry.key, url: url, headers: headers, overrideAll: overrideAll,
                    keySource: entry.source)
            case .enableLocalStorage(let clientID, let channelID, let region):
                if try await !setStorage(clientID: clientID, channelID: channelID, to: region) {
                    return entries(.applied, Self.alreadyDone)
                }
            case .disableLocalStorage(let clientID, let channelID):
                if try await !setStorage(clientID: clientID, channelID: channelID, to: nil) {
                    return entries(.applied, Self.alreadyDone)
                }
            case .replaceLocalStorage(let clientID, let channelID, let region):
                var wrote = false
                // Re-read first: another run may have finished the change (then neither step is sent).
                if try await !isStorage(channelID: channelID, at: region) {
                    do { wrote = try await setStorage(clientID: clientID, channelID: channelID, to: nil) } catch {
                        throw StepFailure(description: "disabling local storage (step 1 of 2) failed: \(error)")
                    }
                }
                do { wrote = try await setStorage(clientID: clientID, channelID: channelID, to: region) || wrote } catch {
                    throw StepFailure(
                        description:
                            "local storage was disabled, but enabling \(region) (step 2 of 2) failed: \(error); the channel is on default storage until apply runs again"
                    )
                }
                if !wrote { return entries(.applied, Self.alreadyDone) }
            }
            return entries(.applied)
        } catch is CancellationError {
            return entries(.skipped, "cancelled while it was being applied; run plan to see where it stands")
        } catch {
            return entries(.failed, "\(error)")
        }
    }

    struct StepFailure: Error, CustomStringConvertible { var description: String }

    // MARK: Verifying

    private func verify(_ entries: inout [ApplyLedger.Entry], plan: Plan) async {
        let written = Set(entries.filter { $0.outcome == .applied }.map(\.address))
        let changes = plan.changes.filter { written.contains($0.address) }
        guard !changes.isEmpty else { return }
        var problems: [String: String] = [:]

        if changes.contains(where: { if case .partner = $0.resource { true } else { false } }) {
            do {
                let partner = try await client.partner()
                for change in changes {
                    guard case .partner = change.resource else { continue }
                    let live: PlanValue =
                        switch change.attribute {
                        case .partnerWebhookURL: partner.webhookURL.map(PlanValue.text) ?? .none
                        case .partnerRedirectURL: partner.redirectURL.map(PlanValue.text) ?? .none
                        default: partner.defaultLocalStorage.map(PlanValue.region) ?? .none
                        }
                    if !Self.converged(live, change.after) { problems[change.address] = Self.notConverged(live) }
                }
            } catch {
                for change in changes where change.resource.address == "partner" {
                    problems[change.address] = "could not be read back: \(error)"
                }
            }
        }

        let webhookChanges = changes.filter { $0.attribute == .channelWebhook }
        let storageChanges = changes.filter { $0.attribute == .channelLocalStorage }
        let checks = try? await FanOut.map(webhookChanges, width: parallelism) { change -> (String, String?) in
            guard case .channel(let channel) = change.resource, let entry = keys.entry(for: channel.id) else {
                return (change.address, "could not be read back: no channel key")
            }
            do {
                let read = try await client.channelWebhook(channelID: channel.id, key: entry.key, keySource: entry.source)
                let live: PlanValue =
                    switch read.webhook(channelID: channel.id) {
                    case .known(let webhook?): PlanValue(webhook)
                    case .known(nil): .none
                    case .unknown(let reason): .text("unknown: \(reason)")
                    }
                return (change.address, Self.converged(live, change.after) ? nil : Self.notConverged(live))
            } catch {
                return (change.address, "could not be read back: \(error)")
            }
        }
        for (address, problem) in checks ?? [] { if let problem { problems[address] = problem } }
        let wabaChanges = changes.filter { $0.attribute == .wabaWebhook }
        let wabaChecks = try? await FanOut.map(wabaChanges, width: parallelism) { change in
            (change.address, await verifyWABAWebhook(change))
        }
        for (address, problem) in wabaChecks ?? [] { if let problem { problems[address] = problem } }

        if !storageChanges.isEmpty {
            let ids = Set(storageChanges.compactMap { if case .channel(let c) = $0.resource { c.id } else { nil } })
            var regions: [String: LiveValue<String?>] = [:]
            // Few channels: filter by id (one request each); many: page through all of them.
            if ids.count > APIAssumptions.verifyByListingThreshold, let all = try? await client.allChannels() {
                for channel in all where ids.contains(channel.id) { regions[channel.id] = channel.localStorage }
            } else {
                let reads = try? await FanOut.map(ids.sorted(), width: parallelism) { id in (id, try? await client.channel(id: id)) }
                for (id, channel) in reads ?? [] { if let channel { regions[id] = channel.localStorage } }
            }
            for change in storageChanges {
                guard case .channel(let channel) = change.resource else { continue }
                switch regions[channel.id] {
                case .known(let region)?:
                    let live = region.map(PlanValue.region) ?? .none
                    if !Self.converged(live, change.after) { problems[change.address] = Self.notConverged(live) }
                case .unknown(let reason)?: problems[change.address] = "could not be read back: \(reason)"
                case nil: problems[change.address] = "could not be read back"
                }
            }
        }

        for index in entries.indices {
            if let problem = problems[entries[index].address] {
                entries[index].outcome = .failed
                entries[index].reason = "written, but \(problem)"
            }
        }
    }

    static func converged(_ live: PlanValue, _ desired: PlanValue) -> Bool { live.isEquivalent(to: desired) }

    static func notConverged(_ live: PlanValue) -> String {
        "did not converge: reading it back gives \(ChangeLines.display(live))"
    }
}
