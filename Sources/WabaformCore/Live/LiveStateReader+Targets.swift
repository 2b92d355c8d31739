/// Reading for `--target`: only what the targets can reach.
extension LiveStateReader {
    /// Like `read(webhooksOf:progress:)`, narrowed to `targets`: the partner only when a
    /// partner address is targeted (else a stand-in with just its id, which the planner
    /// leaves alone), only the targeted channels (read by id when the targets name ids), and
    /// only their webhooks. `missing` lists targeted ids the partner has no channel for.
    public func read(
        targets: PlanTargets, partnerID: String, webhooksOf selection: WebhookSelection,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> (result: Result, missing: [String]) {
        guard !targets.isEverything else { return (try await read(webhooksOf: selection, progress: progress), []) }
        let partner: LivePartner
        if targets.includesPartner { partner = try await client.partner() } else { partner = LivePartner(id: partnerID) }
        let channels: [LiveChannel]
        var missing: [String] = []
        if let ids = targets.channelIDs {
            channels = try await client.channels(ids: ids)
            let found = Set(channels.map(\.id))
            missing = ids.filter { !found.contains($0) }
            progress?(Progress(stage: "channels", done: channels.count, total: channels.count))
        } else {
            channels = try await client.allChannels(progress: { done, total in
                progress?(Progress(stage: "channels", done: done, total: total))
            }).filter { targets.includesChannel($0.id) }
        }
        let webhookIDs = selection(channels).filter { targets.matches("channel.\($0).webhook") }
        let reads = try await client.channelWebhooks(channelIDs: webhookIDs, keys: keys, progress: { done, total in
            progress?(Progress(stage: "webhooks", done: done, total: total))
        })
        var webhooks: [String: LiveValue<LiveWebhook?>] = [:]
        var rejected: [String: APIError] = [:]
        var failed: [String: String] = [:]
        for (id, read) in reads {
            webhooks[id] = read.webhook(channelID: id)
            switch read {
            case .rejectedKey(let error): rejected[id] = error
            case .failed(let reason): failed[id] = reason
            default: break
            }
        }
        let snapshot = LiveSnapshot(partner: partner, channels: channels, webhooks: webhooks)
        return (Result(snapshot: snapshot, rejectedKeys: rejected, failedReads: failed), missing)
    }
}
