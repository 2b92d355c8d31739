/// Binds `apply PLANFILE` to the reviewed plan: the same endpoints, the same partner, the same
/// resolved config, and a fresh plan whose every change has the same action, the same live
/// value (digest) and the same desired value as the saved one — and no change it lacks.
/// Anything else means something moved since the review, and apply must not write (exit 4).
public enum SavedPlanCheck {
    /// What moved, in words a reviewer can act on; empty when the saved plan still holds.
    /// `unread`: addresses whose live value could not be read this run; their saved changes
    /// are not checked (apply skips them), so one failed read does not block the rest.
    /// Why a plan file of another format is refused; nil for the current format.
    public static func formatRefusal(_ saved: SavedPlan) -> String? {
        guard saved.format != SavedPlan.currentFormat else { return nil }
        let why =
            saved.format == "1"
            ? " (format 1 digests could be checked against guessed secrets offline; format \(SavedPlan.currentFormat) keys them with the partner credential)"
            : ""
        return
            "the plan file has format \(saved.format); this wabaform reads only format \(SavedPlan.currentFormat)\(why): make a new plan with `wabaform plan --out FILE` and review it"
    }

    /// `digester`: the saved plan's salt keyed by this run's partner credential (a plan made
    /// with another credential fails the digest checks).
    public static func differences(
        saved: SavedPlan, fresh: Plan, digester: Digester, configDigest: String, apiURL: String, messagingURL: String,
        unread: Set<String> = []
    ) -> [String] {
        var moved: [String] = []
        if let refusal = formatRefusal(saved) { return [refusal] }
        if saved.apiURL != apiURL || saved.messagingURL != messagingURL {
            moved.append(
                "the plan was made against \(saved.apiURL) and \(saved.messagingURL); this run would use \(apiURL) and \(messagingURL)")
        }
        if saved.partnerID != fresh.partnerID {
            moved.append("the plan is for partner \(saved.partnerID); the config now names \(fresh.partnerID)")
        }
        if saved.configDigest != configDigest {
            moved.append(
                "the configuration changed since the plan was made (its resolved values, or a variable it reads, differ; or this run's partner credential is not the one the plan was made with)"
            )
        }
        let current = Dictionary(fresh.changes.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        for change in saved.changes where !unread.contains(change.address) {
            guard let now = current[change.address] else {
                moved.append(
                    "\(change.address): live state moved; the planned \(change.action.rawValue) is no longer needed or no longer the same")
                continue
            }
            if digester.digest(now.before) != change.liveDigest {
                moved.append("\(change.address): the live value changed since the plan was made (now: \(ChangeLines.display(now.before)))")
            } else if now.action != change.action || digester.digest(now.after) != change.desiredDigest {
                moved.append("\(change.address): the planned \(change.action.rawValue) differs from what the config now asks")
            }
        }
        let planned = Set(saved.changes.map(\.address))
        for change in fresh.changes where !planned.contains(change.address) {
            moved.append(
                "\(change.address): a change that is not in the saved plan (\(change.action.rawValue)); live state or the config moved")
        }
        return moved
    }
}
