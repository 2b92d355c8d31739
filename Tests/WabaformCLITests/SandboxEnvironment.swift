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
