import Foundation

/// Which local storage changes can interrupt a number: every one, unless the channel is
/// known NOT to be carrying traffic yet. Safe by default: a status wabaform has never seen,
/// or no status at all, counts as live.
///
/// The reference lists many `status` values (`imported` and `modified` numbers can be live)
/// and names `availability_status` (`ready` / `setting_up` / `error`) as the documented
/// readiness signal. A channel is pre-live only when its `status` is one known to come before
/// a number goes live AND its `availability_status` is not `ready`.
public enum DisruptionRule {
    /// Statuses of a number that has not gone live: onboarding steps before registration.
    /// `pending` is the sandbox's model of a number being set up.
    public static let preLiveStatuses: Set<String> = ["created", "unverified", "verified", "consents_signed", "pending"]

    /// Statuses that say outright that the number is live.
    public static let liveStatuses: Set<String> = ["ready", "live", "running"]

    /// Every `status` the API reference has seen real accounts send. A status outside this
    /// list is still handled (as live); the doctor reports it.
    public static let referenceStatuses: Set<String> = [
        "created", "unverified", "verified", "ready", "modified", "imported", "new_name_requested",
        "certificate_declined", "consents_signed", "error", "porting_ready", "ready_for_migration",
        "waiting_for_migration_code", "migration_code_requested",
    ]

    /// Why a local storage change on this channel counts as disruptive, or nil when the
    /// channel is known not to carry traffic yet.
    public static func liveReason(status: String?, availability: String?) -> String? {
        let status = status?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let availability = availability?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if status.isEmpty { return "status missing: treated as live" }
        if liveStatuses.contains(status) { return "channel status is \(status)" }
        if !preLiveStatuses.contains(status) {
            return "status \(status): treated as live (not a status known to come before a number goes live)"
        }
        if availability == "ready" { return "availability_status ready (status \(status)): treated as live" }
        return nil
    }

    public static func isDisruptive(status: String?, availability: String?) -> Bool {
        liveReason(status: status, availability: availability) != nil
    }
}
