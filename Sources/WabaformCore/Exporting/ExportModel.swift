import PartnerAPIRules
import WabaformConfig

/// What `export` will write, before it is text: the partner, the channel rules in their
/// final order, the comments that go with them, and the header variables to set.
public struct ExportModel: Sendable, Equatable {
    public struct Partner: Sendable, Equatable {
        public var id: String
        public var webhookURL: String?
        public var redirectURL: String?
        public var defaultLocalStorage: LocalStorage?
        /// Comment lines inside `partner:` (a field not set live, or not writable).
        public var remarks: [String] = []
    }

    /// The webhook a rule sets: a URL (maybe with placeholders) and headers whose values are
    /// `${VARIABLE}`s.
    public struct Webhook: Sendable, Hashable {
        public var url: String
        /// Sorted by name, case-insensitively.
        public var headers: [Header]

        public struct Header: Sendable, Hashable {
            /// As the API spelled it on the first channel (by id) that uses this variable.
            public var name: String
            public var variable: String
        }
    }

    public enum Selector: Sendable, Equatable {
        case all
        case client(id: String)
        case channel(id: String)
    }

    public struct Rule: Sendable, Equatable {
        public var selector: Selector
        /// Written after the selector on the same line (the number and client of an `id` rule).
        public var comment: String?
        /// Comment lines inside the rule, after the selector (e.g. a value that was not read).
        public var remarks: [String] = []
        public var webhook: Webhook?
        public var localStorage: LocalStorage?
        /// Carve-outs: attributes written as `unmanaged`, out of broader rules; sorted.
        public var unmanaged: [ManagedAttribute] = []
    }

    public enum Entry: Sendable, Equatable {
        case rule(Rule)
        /// Comment lines in the `channels` list (about channels that get no rule).
        case comment([String])
    }

    public var partner: Partner
    public var channelCount: Int
    public var entries: [Entry]
    /// `wabas` rules: one `id` rule per WABA with a webhook, by id.
    public var wabas: [WABA] = []
    public var variables: [HeaderVariable]
    /// Things the user should know (values not read or not writable), for stderr.
    public var warnings: [String]

    /// A WABA's webhook as an `id` rule.
    public struct WABA: Sendable, Equatable {
        public var id: String
        /// The WABA's name, for a reviewer.
        public var name: String?
        public var webhook: Webhook
    }

    public var rules: [Rule] {
        entries.compactMap { if case .rule(let rule) = $0 { rule } else { nil } }
    }
}

/// A webhook header value written as `${name}`: one per distinct (header, value) pair.
/// The value is only ever held as a `Secret`; wabaform cannot print it.
public struct HeaderVariable: Sendable, Hashable {
    /// The environment variable, e.g. `WABAFORM_HEADER_X_HOOK_SECRET`.
    public var name: String
    /// The header, as spelled on the first channel that uses it.
    public var header: String
    /// The channels whose live webhook sends this header with this value, sorted.
    public var channelIDs: [String]
    /// The live value: used to check the export in memory, never written or printed.
    public var value: Secret
    /// What `channelIDs` are: `channel`, or `WABA` for a WABA webhook's header.
    public var kind = "channel"
}

extension HeaderVariable {
    /// `X-Hook-Secret on initech01CH`, `X-Hook-Secret on fleet000008CH and 33 more channels`.
    public var usage: String {
        let more = channelIDs.count - 1
        let on = kind == "channel" ? "" : kind + " "
        return "\(header) on \(on)\(channelIDs[0])" + (more == 0 ? "" : " and \(more) more \(kind)\(more == 1 ? "" : "s")")
    }
}
