import PartnerAPIRules
import WabaformConfig

/// `wabas:` rules against the WABAs found through the channel list.
///
/// Precedence is the channels' one: an `id` rule beats a `select` map (`name`), which beats
/// `select: all`; two rules of the winning rank with different webhooks are an error. Only
/// `url` and `headers` are compared: the API does not report `override_all`, which is sent
/// with every write. Like channel webhooks, a WABA webhook is created or updated, never
/// deleted (a WABA no rule selects is unmanaged).
extension Planner {
    static func planWABAs(config: DesiredConfig, partnerID: String, live: LiveSnapshot, targets: PlanTargets, into out: inout Tally) {
        let rules = config.wabaRules
        guard !rules.isEmpty else { return }
        let index = SelectorIndex(rules)
        var matched: Set<Int> = []
        for waba in live.wabas {
            let selecting = index.selecting(waba)
            matched.formUnion(selecting.map(\.index))
            let address = "waba.\(waba.id).webhook"
            guard targets.matches(address) else { continue }
            let spec: WABAWebhookSpec
            switch resolveWABA(selecting, waba: waba) {
            case nil: continue
            case .failure(let failure):
                out.diagnostics.append(failure.diagnostic)
                continue
            case .success(let value): spec = value
            }
            let keyChannel = live.wabaKeyChannels[waba.id] ?? ""
            let resource = Resource.waba(
                WABAIdentity(
                    id: waba.id, externalID: waba.externalID ?? "", name: waba.name ?? "", keyChannelID: keyChannel))
            let desired = desiredWABAWebhook(spec, wabaID: waba.id)
            out.compare(live.wabaWebhooks[waba.id] ?? .unknown(reason: "webhook not read"), address: address, resource: resource) {
                guard var change = webhookChange(resource: resource, live: $0, desired: desired) else { return nil }
                change.attribute = .wabaWebhook
                change.overrideAll = spec.overrideAll
                return change
            }
        }
        for rule in rules where !matched.contains(rule.index) && targets.isEverything {
            switch rule.selector {
            case .id(let id):
                out.diagnostics.append(
                    .error(at: rule.selectorLocation, "no channel of partner \(partnerID) belongs to a WABA with id \(id)"))
            case .match:
                out.diagnostics.append(.warning(at: rule.selectorLocation, "\(rule.selector) matches no WABA"))
            case .all, .phoneNumber:
                break
            }
        }
    }

    /// The WABAs whose webhook some `wabas` rule manages: only these are read.
    public static func wabasWithManagedWebhook(config: DesiredConfig, wabas: [LiveWABA]) -> [String] {
        guard !config.wabaRules.isEmpty else { return [] }
        let index = SelectorIndex(config.wabaRules)
        return wabas.filter { !index.selecting($0).isEmpty }.map(\.id).sorted()
    }

    /// `id` matches `waba_account.id` or `waba_account.external_id`; `name` the WABA's name.
    static func matches(_ selector: ChannelSelector, _ waba: LiveWABA) -> Bool {
        switch selector {
        case .all: true
        case .id(let id): waba.id == id || waba.externalID == id
        case .phoneNumber: false
        case .match(let fields):
            fields.allSatisfy { field in field.matches(field.path == "name" ? waba.name : nil) }
        }
    }

    /// The webhook the highest-ranked rules give; nil when no rule selects the WABA.
    static func resolveWABA(_ rules: [WABARule], waba: LiveWABA) -> Result<WABAWebhookSpec, DiagnosticError>? {
        guard let rank = rules.map(\.rank).max() else { return nil }
        let winners = rules.filter { $0.rank == rank }
        let first = winners[0]
        if let other = winners.first(where: { $0.webhook != first.webhook }) {
            return .failure(
                DiagnosticError(
                    diagnostic: .error(
                        at: other.webhookLocation,
                        "rules at \(first.webhookLocation) and \(other.webhookLocation) (both \(rank)) give WABA \(waba.id) different webhooks; make one rule more specific (an id rule beats a select map, which beats select: all) or give them the same webhook"
                    )))
        }
        return .success(first.webhook)
    }

    static func desiredWABAWebhook(_ spec: WABAWebhookSpec, wabaID: String) -> LiveWebhook {
        LiveWebhook(
            url: spec.urlTemplate.fill(channelID: "", clientID: "", phoneNumber: "", wabaID: wabaID),
            headers: Dictionary(spec.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// A diagnostic as an `Error`, for `Result`.
struct DiagnosticError: Error {
    var diagnostic: Diagnostic
}
