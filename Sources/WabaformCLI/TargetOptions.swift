import ArgumentParser
import WabaformCore

/// `--target` of plan, apply and drift (product spec, section 3): the addresses to read and plan.
struct TargetOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "Read and plan only this address (repeatable; * globs): channel.abcCH, channel.*.local_storage, partner.*, waba.*.",
            valueName: "address"))
    var addresses: [String] = []

    /// The addresses checked; a malformed one is a usage error (exit 1) before any request.
    func parsed() throws -> PlanTargets {
        do { return try PlanTargets(addresses) } catch { throw ValidationError(error.description) }
    }
}
