import PartnerAPIRules
import WabaformConfig

/// The rules that select a channel or a WABA, found without trying every rule against it:
/// `id` and `phone_number` rules are looked up by the resource's ids and number; only
/// `select` rules (a handful in any config) are tried one by one.
///
/// An exported config has an `id` rule for every exception, thousands at 10,000 channels;
/// trying each rule against each channel made a plan of it O(channels × rules): 9.5–10.3 s
/// of CPU for 10,000 channels and 6,009 rules, against 2.8–2.9 s with this index
/// (docs/performance.md).
struct SelectorIndex<Rule> {
    private let rules: [Rule]
    private let selector: (Rule) -> ChannelSelector
    /// Positions in `rules`, by the id or the number (digits) the rule selects.
    private let byID: [String: [Int]]
    private let byPhoneNumber: [String: [Int]]
    /// Positions of the `select` rules (`all` or a field map).
    private let selects: [Int]

    init(_ rules: [Rule], selector: @escaping (Rule) -> ChannelSelector) {
        var byID: [String: [Int]] = [:], byPhoneNumber: [String: [Int]] = [:], selects: [Int] = []
        for (position, rule) in rules.enumerated() {
            switch selector(rule) {
            case .id(let id): byID[id, default: []].append(position)
            case .phoneNumber(let digits): byPhoneNumber[digits, default: []].append(position)
            case .match, .all: selects.append(position)
            }
        }
        (self.rules, self.selector, self.byID, self.byPhoneNumber, self.selects) = (rules, selector, byID, byPhoneNumber, selects)
    }

    /// Whether a lookup by number can find anything.
    var hasPhoneNumberRules: Bool { !byPhoneNumber.isEmpty }

    /// The rules, in config order, whose `id` is one of `ids`, whose `phone_number` is
    /// `phoneNumber` (digits; nil: none is), or whose `select` `matches`.
    func selecting(ids: [String], phoneNumber: String?, matches: (ChannelSelector) -> Bool) -> [Rule] {
        var positions: [Int] = []
        for (offset, id) in ids.enumerated() where !ids[..<offset].contains(id) { positions += byID[id] ?? [] }
        if let phoneNumber { positions += byPhoneNumber[phoneNumber] ?? [] }
        for position in selects where matches(selector(rules[position])) { positions.append(position) }
        if positions.count > 1 { positions.sort() }
        return positions.map { rules[$0] }
    }
}

extension SelectorIndex where Rule == ChannelRule {
    init(_ rules: [ChannelRule]) { self.init(rules, selector: \.selector) }

    /// What `rules.filter { Planner.matches($0.selector, channel) }` gives.
    func selecting(_ channel: LiveChannel) -> [ChannelRule] {
        let digits = hasPhoneNumberRules ? PhoneNumber.normalized(channel.phoneNumber ?? "") : nil
        return selecting(ids: [channel.id], phoneNumber: digits) { Planner.matches($0, channel) }
    }
}

extension SelectorIndex where Rule == WABARule {
    init(_ rules: [WABARule]) { self.init(rules, selector: \.selector) }

    /// What `rules.filter { Planner.matches($0.selector, waba) }` gives: an `id` is the WABA's
    /// id or its external id; a `phone_number` never selects a WABA.
    func selecting(_ waba: LiveWABA) -> [WABARule] {
        selecting(ids: [waba.id] + (waba.externalID.map { [$0] } ?? []), phoneNumber: nil) { Planner.matches($0, waba) }
    }
}
