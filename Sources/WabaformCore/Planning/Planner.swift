import PartnerAPIRules
import WabaformConfig

/// Compares desired and live state and says what to change. Pure: no I/O.
///
/// Per channel and attribute, the rules that select the channel and set the attribute
/// compete: `id`/`phone_number` rules beat `select` maps, which beat `select: all`. Two rules
/// of the winning rank that set different values (as written: URL, headers, region) are an
/// error naming both rules and the channel; the same value twice is not (docs/configuration.md,
/// "Precedence and conflicts": `ConfigLoader.conflicts` applies the same rule offline). An attribute no rule sets is unmanaged: not read, not compared, not changed.
public enum Planner {
    public struct Outcome: Sendable {
        /// nil when there are errors.
        public var plan: Plan?
        /// Located errors (a rule matching no channel, conflicting rules) and warnings.
        public var diagnostics: [Diagnostic]
    }

    /// With `targets`, only targeted addresses are planned, and a rule that matches none of
    /// the channels read is not reported (the channels read are not the whole fleet).
    public static func plan(
        config: DesiredConfig, partnerID: String, live: LiveSnapshot, targets: PlanTargets = .everything
    ) -> Outcome {
        var tally = Tally()

        if let partner = config.partner, targets.includesPartner {
            let result = planPartner(partner, live: live.partner)
            tally.changes += result.changes.filter { targets.matches($0.address) }
            tally.unchanged += result.unchanged
        }

        let rules = config.channelRules
        let index = SelectorIndex(rules)
        var matchedRules: Set<Int> = []
        var sharedURLs = SharedURLCount(rules: rules)
        // The reader hands them over sorted: no copy then (5.6 MB at 100,000 channels).
        let channels = live.channels
        let inOrder = zip(channels, channels.dropFirst()).allSatisfy { $0.id < $1.id }
        for channel in inOrder ? channels : channels.sorted(by: { $0.id < $1.id }) {
            let selecting = index.selecting(channel)
            matchedRules.formUnion(selecting.map(\.index))
            let resource = Resource.channel(channel.identity)
            let webhookAddress = "\(resource.address).webhook", storageAddress = "\(resource.address).local_storage"

            // Rules are compared by what they say (the URL as written), the same way validate
            // compares them; the URL is filled in for the channel only after that.
            if targets.matches(webhookAddress),
                let spec = tally.desired(resolve(selecting, channel: channel, attribute: .webhook, value: { $0.webhook }))
            {
                let webhook = desiredWebhook(spec, for: channel)
                sharedURLs.count(webhook.url)
                tally.compare(
                    live.webhooks[channel.id] ?? .unknown(reason: "webhook not read"), address: webhookAddress, resource: resource
                ) {
                    webhookChange(resource: resource, live: $0, desired: webhook)
                }
            }

            if targets.matches(storageAddress),
                let storage = tally.desired(resolve(selecting, channel: channel, attribute: .localStorage, value: { $0.localStorage }))
            {
                tally.compare(channel.localStorage, address: storageAddress, resource: resource) { current in
                    guard
                        var change = storageChange(
                            resource: resource, attribute: .channelLocalStorage, live: current, desired: storage, regionChange: .replace)
                    else { return nil }
                    if let why = DisruptionRule.liveReason(status: channel.status, availability: channel.availabilityStatus) {
                        change.disruptive = true
                        change.disruptionReason = why + "; changing local storage can interrupt a live number"
                    }
                    return change
                }
            }
        }

        for rule in rules where !matchedRules.contains(rule.index) && targets.isEverything {
            switch rule.selector {
            case .id(let id):
                tally.diagnostics.append(.error(at: rule.selectorLocation, "no channel of partner \(partnerID) has id \(id)"))
            case .phoneNumber(let digits):
                tally.diagnostics.append(
                    .error(at: rule.selectorLocation, "no channel of partner \(partnerID) has phone number +\(digits)"))
            case .match:
                tally.diagnostics.append(.warning(at: rule.selectorLocation, "\(rule.selector) matches no channel"))
            case .all:
                break
            }
        }

        planWABAs(config: config, partnerID: partnerID, live: live, targets: targets, into: &tally)

        let warnings = tally.diagnostics.sortedForOutput().filter { !$0.isError }.map { "\($0.location): \($0.message)" }
        // Advice, not a problem with the plan: a diagnostic, but not a plan warning, so
        // --strict (which fails on plan warnings) leaves it a warning.
        let sorted = (tally.diagnostics + sharedURLs.warnings()).sortedForOutput()
        guard !sorted.contains(where: \.isError) else { return Outcome(plan: nil, diagnostics: sorted) }
        return Outcome(
            plan: Plan(
                partnerID: partnerID, changes: tally.changes, unknowns: tally.unknowns, unchangedCount: tally.unchanged,
                warnings: warnings),
            diagnostics: sorted)
    }

    /// The channels whose webhook some rule manages (and no higher-ranked rule carves out):
    /// only these need their webhook read.
    public static func channelsWithManagedWebhook(config: DesiredConfig, channels: [LiveChannel]) -> [String] {
        let rules = config.channelRules.filter { $0.webhook != nil || $0.unmanaged.contains(.webhook) }
        guard rules.contains(where: { $0.webhook != nil }) else { return [] }
        let index = SelectorIndex(rules)
        // Ids straight away: a filtered copy of the channels was a second fleet in memory.
        return channels.compactMap { channel -> String? in
            let selecting = index.selecting(channel)
            if case .unmanaged = resolve(selecting, channel: channel, attribute: .webhook, value: \.webhook) { return nil }
            return channel.id
        }.sorted()
    }

    // MARK: Selection and precedence

    static func matches(_ selector: ChannelSelector, _ channel: LiveChannel) -> Bool {
        switch selector {
        case .all: true
        case .id(let id): channel.id == id
        case .phoneNumber(let digits): PhoneNumber.normalized(channel.phoneNumber ?? "") == digits
        case .match(let fields):
            fields.allSatisfy { field in field.matches(channel.fields[field.path]) }
        }
    }

    enum Resolution<Value> {
        case unmanaged
        case desired(Value)
        case conflict(Diagnostic)
    }

    /// The value the highest-ranked rules give, or a conflict between two of them. A rule
    /// that carves the attribute out (`webhook: unmanaged`) competes like one that sets it,
    /// with "unmanaged" as its value.
    static func resolve<Value: Equatable>(
        _ rules: [ChannelRule], channel: LiveChannel, attribute: ManagedAttribute, value: (ChannelRule) -> Value?
    ) -> Resolution<Value> {
        let setting: [(ChannelRule, Value?)] = rules.compactMap { rule in
            if rule.unmanaged.contains(attribute) { return (rule, nil) }
            return value(rule).map { (rule, $0) }
        }
        guard let rank = setting.map({ $0.0.rank }).max() else { return .unmanaged }
        let winners = setting.filter { $0.0.rank == rank }
        let (first, firstValue) = winners[0]
        if let (other, _) = winners.first(where: { $0.1 != firstValue }) {
            let here = other.location(of: attribute) ?? other.location
            let there = first.location(of: attribute) ?? first.location
            return .conflict(
                .error(
                    at: here,
                    "rules at \(there) and \(here) (both \(rank)) give channel \(channel.id) different \(attribute) values; make one rule more specific (an id rule beats a select map, which beats select: all) or give them the same value"
                ))
        }
        guard let firstValue else { return .unmanaged }
        return .desired(firstValue)
    }

    static func desiredWebhook(_ spec: WebhookSpec, for channel: LiveChannel) -> LiveWebhook {
        let url = spec.urlTemplate.fill(
            channelID: channel.id, clientID: channel.clientID ?? "", phoneNumber: channel.phoneNumber ?? "",
            wabaID: channel.wabaID ?? "")
        return LiveWebhook(url: url, headers: Dictionary(spec.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }

    // MARK: Comparisons

    static func webhookChange(resource: Resource, live: LiveWebhook?, desired: LiveWebhook) -> Change? {
        let after = PlanValue(desired)
        guard let live else {
            return Change(resource: resource, attribute: .channelWebhook, action: .create, before: .none, after: after)
        }
        if PlanValue(live).isEquivalent(to: after) { return nil }
        return Change(
            resource: resource, attribute: .channelWebhook, action: .update,
            before: PlanValue(live), after: after)
    }

    static func storageChange(
        resource: Resource, attribute: Change.Attribute, live: String?, desired: LocalStorage, regionChange: Change.Action
    ) -> Change? {
        let current = live.map { $0.uppercased() }
        switch (current, desired.regionCode) {
        case (nil, nil): return nil
        case (nil, let new?): return Change(resource: resource, attribute: attribute, action: .create, before: .none, after: .region(new))
        case (let old?, nil): return Change(resource: resource, attribute: attribute, action: .delete, before: .region(old), after: .none)
        case (let old?, let new?):
            if old == new { return nil }
            return Change(resource: resource, attribute: attribute, action: regionChange, before: .region(old), after: .region(new))
        }
    }

    static func planPartner(_ spec: PartnerSpec, live: LivePartner) -> (changes: [Change], unchanged: Int) {
        let resource = Resource.partner(id: live.id)
        var changes: [Change] = []
        var unchanged = 0
        for (attribute, desired, current) in [
            (Change.Attribute.partnerWebhookURL, spec.webhookURL, live.webhookURL),
            (.partnerRedirectURL, spec.redirectURL, live.redirectURL),
        ] {
            guard let desired else { continue }
            let current = current.flatMap { $0.isEmpty ? nil : $0 }
            if let current, PlanValue.text(current).isEquivalent(to: .text(desired)) {
                unchanged += 1
            } else {
                changes.append(
                    Change(
                        resource: resource, attribute: attribute, action: current == nil ? .create : .update,
                        before: current.map(PlanValue.text) ?? .none, after: .text(desired)))
            }
        }
        if let desired = spec.defaultLocalStorage {
            // The partner default is a setting, so region to region is an update, not disable + enable.
            if let change = storageChange(
                resource: resource, attribute: .partnerDefaultLocalStorage, live: live.defaultLocalStorage, desired: desired,
                regionChange: .update)
            {
                changes.append(change)
            } else {
                unchanged += 1
            }
        }
        return (changes, unchanged)
    }
}

/// Normalisation before comparing, so that apply followed by plan is always empty.
enum Normalize {
    /// Scheme and host case.
    static func url(_ url: String) -> String { WebhookURLRule.normalized(url) }
}
