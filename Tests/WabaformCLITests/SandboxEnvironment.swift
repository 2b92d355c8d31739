import Foundation
import PartnerSandbox

/// The environment that points wabaform at a running sandbox, as its printed export lines do.
func environment(for sandbox: RunningSandbox, keysFile: String? = nil) -> [String: String] {
    var environment = [
        "WABAFORM_API_URL": sandbox.apiURL,
        "WABAFORM_MESSAGING_URL": sandbox.messagingURL,
        "WABAFORM_API_KEY": sandbox.partnerKey,
        "WABAFORM_PARTNER_ID": sandbox.partnerID,
    ]
    if let file = keysFile ?? sandbox.keysFilePath { environment["WABAFORM_CHANNEL_KEYS_FILE"] = file }
    return environment
}

/// A sandbox with a state file (so it writes a keys file) in a fresh directory.
func sandboxConfiguration(
    seed: SandboxSeed? = nil, fleet: Int = 0, faults: FaultSettings = .none
) throws -> SandboxConfiguration {
    let directory = try CLI.temporaryDirectory()
    return SandboxConfiguration(statePath: directory + "/sandbox.json", seed: seed, fleet: fleet, faults: faults)
}

/// Requests the sandbox counted, as "METHOD route status" -> count.
func requestCounts(_ sandbox: RunningSandbox) -> [String: Int] {
    Dictionary(sandbox.stats.snapshot().map { ("\($0.key.method) \($0.key.route) \($0.key.status)", $0.count) }, uniquingKeysWith: +)
}

/// The requests one full read of the partner makes, as `requestCounts` gives them: one partner
/// read, `pages` list pages, and one webhook read per channel with a published key, answered
/// 200 (a webhook) or 404 (none).
func fullReadCounts(_ channels: some Collection<ChannelRecord>, pages: Int) -> [String: Int] {
    let readable = channels.filter { $0.keyPublished != false }
    return [
        "GET /api/v2/partners/{partner_id} 200": 1,
        "GET /api/v2/partners/{partner_id}/channels 200": pages,
        "GET /v1/configs/webhook 200": readable.filter { $0.webhook != nil }.count,
        "GET /v1/configs/webhook 404": readable.filter { $0.webhook == nil }.count,
    ]
}
