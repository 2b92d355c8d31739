/// Reading for `--target`: only what the targets can reach.
extension LiveStateReader {
    /// Like `read(webhooksOf:progress:)`, narrowed to `targets`: the partner only when a
    /// partner address is targeted (else a stand-in with just its id, which the planner
    /// leaves alone), only the targeted channels (read by id when the targets name ids), and
    /// only their webhooks. `missing` lists targeted ids the partner has no channel for.
    public func read(
        targets: PlanTargets, partnerID: String, webhooksOf selection: @escaping WebhookSelection,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> (result: Result, missing: [String]) {
        guard !targets.isEverything else { return (try await read(webhooksOf: selection, progress: progress), []) }
        let partner: LivePartner
        if targets.includesPartner { partner = try await client.partner() } else { partner = LivePartner(id: partnerID) }
        let channels: [LiveChannel]
        var missing: [String] = []
        var wabas: [LiveWABA] = []
        if let ids = targets.channelIDs {
            channels = try await client.channels(ids: ids)
            let found = Set(channels.map(\.id))
            missing = ids.filter { !found.contains($0) }
            progress?(Progress(stage: "channels", done: channels.count, total: channels.count))
        } else {
            // WABAs are found through the whole list, so a WABA target reads all of it.
            let all = try await client.allChannels(progress: { done, total in
                progress?(Progress(stage: "channels", done: done, total: total))
            })
            wabas = LiveWABA.of(all)
            channels = all.filter { targets.includesChannel($0.id) }
        }
        let webhookIDs = selection(channels).filter { targets.matches("channel.\($0).webhook") }
        let wabaReads = selectedWABAs(wabas, where: { targets.matches("waba.\($0).webhook") })
        let webhooks = try await readWebhooks(of: webhookIDs, wabas: wabaReads, progress: progress)
        return (
            webhooks.result(
                LiveSnapshot(
                    partner: partner, channels: channels, webhooks: webhooks.values,
                    wabas: wabas.filter { targets.matches("waba.\($0.id).webhook") })), missing
        )
    }
}
