import PartnerAPIRules

/// `wabas:`: rules for WABA-wide webhooks (`/waba_webhook`).
extension ConfigFileDecoder {
    mutating func decodeWABAs(_ node: YAMLNode) {
        if let scalar = node.scalar, scalar.isNull { return }
        guard let items = node.items else {
            error(
                at: node.position,
                node.pairs != nil
                    ? "wabas must be a list of rules; start each rule with - (for example - select: all)"
                    : "wabas must be a list of rules, not \(node.kindDescription)")
            return
        }
        for item in items {
            if let rule = decodeWABARule(item) { output.wabaRules.append(rule) }
        }
    }

    mutating func decodeWABARule(_ node: YAMLNode) -> WABARule? {
        guard
            let pairs = rulePairs(node, rule: "a wabas rule", expected: "a selector (id: or select:) and webhook:", one: "WABA")
        else { return nil }
        var selector: (ChannelSelector, YAMLPosition)?
        var selectorKey: String?
        var webhook: (WABAWebhookSpec, YAMLPosition)?
        var sawWebhook = false
        let errorsBefore = errorCount
        for pair in pairs {
            switch pair.key {
            case "id", "select":
                if let previous = selectorKey {
                    error(
                        at: pair.keyPosition,
                        "this rule has both \(previous) and \(pair.key); use exactly one selector per rule (split it into two rules)")
                    continue
                }
                selectorKey = pair.key
                let value =
                    pair.key == "id"
                    ? identifier(pair.value, what: "WABA id").map(ChannelSelector.id) : decodeWABASelect(pair.value)
                if let value { selector = (value, pair.keyPosition) }
            case "webhook":
                sawWebhook = true
                if let value = decodeWABAWebhook(pair.value, keyPosition: pair.keyPosition) { webhook = (value, pair.keyPosition) }
            default:
                unknownKey(
                    pair, in: "in a wabas rule", known: ConfigKeys.wabaRule,
                    hints: [
                        "url": "webhook: { url: ... } (url belongs under webhook)",
                        "headers": "webhook: { headers: ... } (headers belong under webhook)",
                        "override_all": "webhook: { override_all: ... } (override_all belongs under webhook)",
                        "waba_id": "id", "name": "select: { name: ... }", "phone_number": "channels (a WABA is selected by id or name)",
                        "local_storage": "channels (local_storage is set per channel rule)", "selector": "select", "filter": "select",
                    ])
            }
        }
        if selectorKey == nil {
            error(at: node.position, "this wabas rule has no selector; add id: <waba id>, select: all or select: { name: \"...\" }")
            return nil
        }
        if !sawWebhook {
            error(at: node.position, "this wabas rule has no webhook; add webhook: { url: https://... }")
            return nil
        }
        guard let selector, let webhook, errorCount == errorsBefore else { return nil }
        return WABARule(
            index: output.wabaRules.count, location: location(node.position), selector: selector.0,
            selectorLocation: location(selector.1), webhook: webhook.0, webhookLocation: location(webhook.1))
    }

    /// `all`, or a map with the one key `name` (a glob, a list, `"!glob"`).
    mutating func decodeWABASelect(_ node: YAMLNode) -> ChannelSelector? {
        if let scalar = node.scalar {
            if !scalar.isNull, let value = stringValue(node, what: "select"), value.text == "all" { return .all }
            if scalar.isNull {
                error(at: node.position, "select has no value; write select: all, or select: { name: \"Acme*\" }")
            } else {
                error(at: node.position, "select in a wabas rule takes all or a map with name, e.g. select: { name: \"Acme*\" }")
            }
            return nil
        }
        guard let pairs = node.pairs, !pairs.isEmpty else {
            error(at: node.position, "select in a wabas rule takes all or a map with name, e.g. select: { name: \"Acme*\" }")
            return nil
        }
        var matches: [FieldMatch] = []
        for pair in pairs {
            guard ConfigKeys.wabaSelect.contains(pair.key) else {
                let hint =
                    pair.key == "waba_account.name"
                    ? "write name"
                    : pair.key.hasSuffix(".name") || pair.key == "waba_name"
                        ? "did you mean name?" : "a WABA is selected by name (or by id: outside select)"
                error(at: pair.keyPosition, "unknown field '\(TerminalText.escaped(pair.key))' in a wabas select; \(hint)")
                return nil
            }
            guard let values = selectValues(pair) else { return nil }
            matches.append(FieldMatch(path: pair.key, values: values))
        }
        return .match(matches)
    }

    /// A WABA's URL is filled per WABA: `{waba_id}` only.
    mutating func onlyWABAPlaceholders(_ value: StringValue, node: YAMLNode) -> Bool {
        var ok = true
        for case .placeholder(let name, let offset) in WebhookURLTemplate.tokens(of: value.text) where name != "waba_id" {
            ok = false
            error(
                at: tokenPosition("{\(name)}", offset: offset, value: value, node: node),
                "WABA webhook url cannot use {\(name)}: it is one URL for every number of the WABA; the only placeholder is {waba_id}")
        }
        return ok
    }
}
