/// Safety guards checked after the plan is printed and before any write (exit 4).
public enum ApplyGuards {
    /// More than this many channels' webhooks …
    public static let massChangeChannels = 10
    /// … and more than this share of all channels is a mass change.
    public static let massChangeShare = 0.25

    /// The guards a user consented to pass: `--allow-disruptive`, `--allow-mass-change`.
    public struct Consent: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let disruptive = Consent(rawValue: 1)
        public static let massChange = Consent(rawValue: 2)
    }

    /// Why apply must not go ahead; empty when it may.
    public static func blocks(plan: Plan, totalChannels: Int, consent: Consent) -> [String] {
        let allowDisruptive = consent.contains(.disruptive), allowMassChange = consent.contains(.massChange)
        var reasons: [String] = []
        let disruptive = plan.changes.filter(isDisruptive)
        if !disruptive.isEmpty, !allowDisruptive {
            let list = disruptive.prefix(5).map(\.address).joined(separator: ", ") + (disruptive.count > 5 ? ", …" : "")
            reasons.append(
                "\(disruptive.count) disruptive change(s) (local storage of a live channel: \(list)) can interrupt a number; "
                    + "review them and pass --allow-disruptive")
        }
        let webhooks = plan.changes.filter { $0.attribute == .channelWebhook }.count
        if webhooks > massChangeChannels, Double(webhooks) > massChangeShare * Double(totalChannels), !allowMassChange {
            reasons.append(
                "the plan changes the webhook of \(webhooks) of \(totalChannels) channels (more than \(massChangeChannels) "
                    + "and more than \(Int(massChangeShare * 100))%); review it and pass --allow-mass-change")
        }
        // A WABA-wide webhook carries the messages of every number of the WABA without a webhook
        // of its own (of all of them with override_all): replacing it moves a whole WABA's traffic.
        let wabaUpdates = plan.changes.filter { $0.attribute == .wabaWebhook && $0.action == .update }
        if !wabaUpdates.isEmpty, !allowMassChange {
            let list = wabaUpdates.prefix(5).map(\.address).joined(separator: ", ") + (wabaUpdates.count > 5 ? ", …" : "")
            reasons.append(
                "the plan replaces \(wabaUpdates.count) WABA-wide webhook(s) (\(list)), each carrying the messages of every number "
                    + "of its WABA without a webhook of its own; review it and pass --allow-mass-change")
        }
        return reasons
    }

    /// Disruptive as planned, or a channel's local storage whose recorded status is not
    /// known to be pre-live (a plan saved by an older wabaform may not have flagged it).
    static func isDisruptive(_ change: Change) -> Bool {
        if change.disruptive { return true }
        guard change.attribute == .channelLocalStorage, case .channel(let channel) = change.resource else { return false }
        return DisruptionRule.isDisruptive(status: channel.status, availability: nil)
    }
}
