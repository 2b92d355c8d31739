import Foundation

/// An alternative shape the sandbox can answer in (`wabaform sandbox --variant NAME`,
/// repeatable), one for each way real accounts are seen to answer differently from the
/// sandbox's default guesses (the reference's "What public integrations show").
///
/// The default sandbox answers in none of these shapes; each variant changes only what its
/// name says, so a test can combine them.
public enum SandboxVariant: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Channel objects as real accounts send them: many extra fields (`billing_started_at`,
    /// `integration`, a dozen `setup_info` fields, `waba_account.namespace`, …) and the real
    /// range of `status` values (`imported`, `modified`, `consents_signed`, …).
    case richChannels = "rich-channels"
    /// The partner object with more fields than the sandbox's own, and unused ones in other
    /// types than the contract's guess (`payment_required: "no"`, `billing_system: 5`,
    /// `logo_url` an object, `settings.partner_change_request: null`, …).
    case richPartner = "rich-partner"
    /// Channel objects carry no local storage field at all (no integration shows one).
    case noStorageField = "no-storage-field"
    /// `GET /v1/configs/webhook` adds fields wabaform does not use (`waba_id`, …).
    case webhookExtraFields = "webhook-extra-fields"
    /// "No webhook set" answered as `{}` (200).
    case webhookUnsetEmptyObject = "webhook-unset-empty-object"
    /// "No webhook set" answered as `{"url": ""}` (200).
    case webhookUnsetEmptyURL = "webhook-unset-empty-url"
    /// "No webhook set" answered as `{"url": null}` (200).
    case webhookUnsetNullURL = "webhook-unset-null-url"
    /// Webhook reads answer `"headers": null` when no headers are set.
    case webhookNullHeaders = "webhook-null-headers"
    /// `POST /token` answers only `{"token_type": "bearer", "access_token": …}`.
    case leanToken = "lean-token"
    /// `POST /partners/{id}/webhook_url` answers the whole partner object.
    case webhookURLAnswersPartner = "webhook-url-answers-partner"
    /// Throttling on the Messaging API is answered as HTTP 400 "You have exceeded the limit…"
    /// without Retry-After instead of 429: every 4th Messaging API request, and every throttle
    /// of the fault settings (`--throttle-rate`, `--rate-limit`) on that host.
    case usageLimit400 = "usage-limit-400"
    /// The Messaging API answers 401 as `{"error": "…"}` instead of the `meta` envelope.
    case messagingErrorString = "messaging-error-string"
    /// The first write to each target (a channel's webhook or local storage, the partner) is
    /// applied and then answered 500: the API acknowledged nothing, yet the change took effect.
    case writeAppliedThen500 = "write-applied-then-500"

    public static func < (lhs: SandboxVariant, rhs: SandboxVariant) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The variants of a comma-separated list (`WABAFORM_SANDBOX_VARIANTS=a,b`); blanks are
    /// ignored. An unknown name is an error naming it and every known one.
    public static func list(_ text: String) throws(UnknownName) -> Set<SandboxVariant> {
        var found: Set<SandboxVariant> = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            guard let variant = SandboxVariant(rawValue: name) else { throw UnknownName(name: name) }
            found.insert(variant)
        }
        return found
    }

    public struct UnknownName: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var description: String {
            // Printable ASCII as it is, anything else as \u{…}: the name came from the user's shell.
            let shown = name.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
            return "unknown sandbox variant \"\(shown.joined())\"; known: \(SandboxVariant.names)"
        }
    }

    /// Every name, for `--help` and error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
