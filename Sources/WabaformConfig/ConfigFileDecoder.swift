import PartnerAPIRules

/// Decodes one composed file into the typed model, collecting every problem.
struct ConfigFileDecoder {
    struct Output {
        var partner: PartnerSpec?
        /// Where `partner:` is, when the file has the key (even if its value is invalid).
        var partnerKeyLocation: SourceLocation?
        var rules: [ChannelRule] = []
        /// `wabas` entries; `index` counts within this file (the loader renumbers).
        var wabaRules: [WABARule] = []
        var diagnostics: [Diagnostic] = []
        /// Header value nodes (start, and start of the first node after them): never shown.
        var sensitiveSpans: [(start: YAMLPosition, end: YAMLPosition)] = []
        /// False when the top level is not a mapping (so "no partner" would be noise).
        var topLevelIsMapping = true
    }

    let file: SourceFile
    let environment: [String: String]
    let nodePositions: [YAMLPosition]
    var output = Output()
    var nextRuleIndex: Int
    var errorCount = 0

    init(file: SourceFile, environment: [String: String], nodePositions: [YAMLPosition], firstRuleIndex: Int) {
        self.file = file
        self.environment = environment
        self.nodePositions = nodePositions
        self.nextRuleIndex = firstRuleIndex
    }

    // MARK: Top level

    mutating func decode(_ root: YAMLNode) {
        guard let pairs = root.pairs else {
            output.topLevelIsMapping = false
            let found = root.items != nil ? "a list" : "a single value"
            error(
                at: root.position,
                root.items != nil
                    ? "the top level must be a mapping (version:, partner:, channels:), not a list; remove the leading - or move the list under channels:"
                    : "the top level must be a mapping (version:, partner:, channels:), not \(found)")
            return
        }
        var sawVersion = false
        for pair in pairs {
            switch pair.key {
            case "version":
                sawVersion = true
                decodeVersion(pair.value)
            case "partner":
                output.partnerKeyLocation = location(pair.keyPosition)
                output.partner = decodePartner(pair.value, keyPosition: pair.keyPosition)
            case "channels":
                decodeChannels(pair.value)
            case "wabas":
                decodeWABAs(pair.value)
            default:
                unknownKey(
                    pair, in: "at the top level", known: ConfigKeys.topLevel,
                    hints: [
                        "channel": "channels", "rules": "channels", "waba": "wabas", "waba_webhook": "wabas", "partners": "partner",
                        "webhook": "channels (webhooks are set per channel rule)",
                        "webhook_url": "partner: webhook_url", "local_storage": "channels (local_storage is set per channel rule)",
                    ])
            }
        }
        if !sawVersion {
            error(at: root.position, "missing version; add version: \(ConfigKeys.supportedVersion) at the top of the file")
        }
    }

    mutating func decodeVersion(_ node: YAMLNode) {
        guard let scalar = node.scalar, !scalar.isNull else {
            error(at: node.position, "version must be \(ConfigKeys.supportedVersion), not \(node.kindDescription)")
            return
        }
        guard let value = stringValue(node, what: "version") else { return }
        let text = value.text.trimmingSpaces
        guard text == String(ConfigKeys.supportedVersion) else {
            let shown = value.expanded ? "\(self.shown(value))" : text
            error(at: node.position, "unsupported version \(shown); this wabaform reads version \(ConfigKeys.supportedVersion)")
            return
        }
    }

    // MARK: partner

    mutating func decodePartner(_ node: YAMLNode, keyPosition: YAMLPosition) -> PartnerSpec? {
        guard let pairs = node.pairs else {
            if let scalar = node.scalar, !scalar.isNull {
                error(
                    at: node.position,
                    "partner must be a mapping; write partner: followed by an indented id: \(scalar.isPlainUntagged ? scalar.text : "...")")
            } else {
                error(
                    at: node.scalar?.isNull == true ? keyPosition : node.position,
                    "partner must be a mapping with at least id:, not \(node.kindDescription)")
            }
            return nil
        }
        var id: (String, YAMLPosition)?
        var webhookURL: (String, YAMLPosition)?
        var redirectURL: (String, YAMLPosition)?
        var storage: (LocalStorage, YAMLPosition)?
        var sawID = false
        for pair in pairs {
            switch pair.key {
            case "id":
                sawID = true
                if let value = identifier(pair.value, what: "partner.id") { id = (value, pair.keyPosition) }
            case "webhook_url":
                if let value = stringValue(pair.value, what: "partner.webhook_url"),
                    checkURL(value, node: pair.value, what: "partner.webhook_url", placeholders: false, webhookRules: true)
                {
                    webhookURL = (value.text, pair.keyPosition)
                }
            case "redirect_url":
                if let value = stringValue(pair.value, what: "partner.redirect_url"),
                    checkURL(value, node: pair.value, what: "partner.redirect_url", placeholders: false, webhookRules: false)
                {
                    redirectURL = (value.text, pair.keyPosition)
                }
            case "default_local_storage":
                if let value = localStorage(pair.value, what: "partner.default_local_storage") {
                    storage = (value, pair.keyPosition)
                }
            default:
                unknownKey(
                    pair, in: "in partner", known: ConfigKeys.partner,
                    hints: [
                        "partner_redirect_url": "redirect_url", "webhook": "webhook_url", "url": "webhook_url",
                        "default_data_localization_region": "default_local_storage", "local_storage": "default_local_storage",
                        "partner_id": "id", "channels": "channels at the top level (it is not part of partner)",
                    ])
            }
        }
        if !sawID {
            error(at: keyPosition, "partner has no id; add id: with your 360dialog partner id (for example id: ${WABAFORM_PARTNER_ID})")
        }
        guard let id else { return nil }
        return PartnerSpec(
            id: id.0, webhookURL: webhookURL?.0, redirectURL: redirectURL?.0, defaultLocalStorage: storage?.0,
            location: location(keyPosition), idLocation: location(id.1),
            webhookURLLocation: webhookURL.map { location($0.1) }, redirectURLLocation: redirectURL.map { location($0.1) },
            defaultLocalStorageLocation: storage.map { location($0.1) })
    }

    // MARK: channels

    mutating func decodeChannels(_ node: YAMLNode) {
        if let scalar = node.scalar, scalar.isNull { return }  // `channels:` with every rule commented out
        guard let items = node.items else {
            error(
                at: node.position,
                node.pairs != nil
                    ? "channels must be a list of rules; start each rule with - (for example - select: all)"
                    : "channels must be a list of rules, not \(node.kindDescription)")
            return
        }
        for item in items {
            if let rule = decodeRule(item) {
                output.rules.append(rule)
            }
        }
    }

    /// A rule's keys and values, or nil after saying that `rule` (a list item under `channels:`
    /// or `wabas:`) must be a mapping: with the `- id:` form when a bare id was written.
    mutating func rulePairs(_ node: YAMLNode, rule: String, expected: String, one: String) -> [YAMLPair]? {
        if let pairs = node.pairs { return pairs }
        if let scalar = node.scalar, !scalar.isNull, scalar.isPlainUntagged {
            error(at: node.position, "\(rule) must be a mapping; to select one \(one) by id write - id: \(scalar.text)")
        } else {
            error(at: node.position, "\(rule) must be a mapping with \(expected), not \(node.kindDescription)")
        }
        return nil
    }

    mutating func decodeRule(_ node: YAMLNode) -> ChannelRule? {
        guard
            let pairs = rulePairs(
                node, rule: "a channel rule", expected: "a selector (id:, phone_number: or select:)", one: "channel")
        else { return nil }
        var selector: (ChannelSelector, YAMLPosition)?
        var selectorKey: (String, YAMLPosition)?
        var selectorProblem = false
        var webhook: (WebhookSpec, YAMLPosition)?
        var storage: (LocalStorage, YAMLPosition)?
        var carveOuts: [ManagedAttribute: YAMLPosition] = [:]
        var setsAttribute = false
        let errorsBefore = errorCount
        for pair in pairs {
            if ConfigKeys.selectors.contains(pair.key) {
                if let (previous, _) = selectorKey {
                    error(
                        at: pair.keyPosition,
                        "this rule has both \(previous) and \(pair.key); use exactly one selector per rule (split it into two rules)")
                    selectorProblem = true
                    continue
                }
                selectorKey = (pair.key, pair.keyPosition)
                if let value = decodeSelector(pair) { selector = (value, pair.keyPosition) } else { selectorProblem = true }
                continue
            }
            if let attribute = ManagedAttribute(rawValue: pair.key) {
                switch carveOut(pair.value, attribute: attribute) {
                case .carveOut:
                    setsAttribute = true
                    carveOuts[attribute] = pair.keyPosition
                    continue
                case .reported: continue
                case .value: break
                }
            }
            switch pair.key {
            case "webhook":
                setsAttribute = true
                if let value = decodeWebhook(pair.value, keyPosition: pair.keyPosition) { webhook = (value, pair.keyPosition) }
            case "local_storage":
                setsAttribute = true
                if let value = localStorage(pair.value, what: "local_storage") { storage = (value, pair.keyPosition) }
            default:
                unknownKey(
                    pair, in: "in a channel rule", known: ConfigKeys.channelRule,
                    hints: [
                        "url": "webhook: { url: ... } (url belongs under webhook)",
                        "headers": "webhook: { headers: ... } (headers belong under webhook)",
                        "webhook_url": "webhook: { url: ... }", "region": "local_storage", "storage": "local_storage",
                        "default_local_storage": "local_storage (default_local_storage belongs to partner)",
                        "channel_id": "id", "phone": "phone_number", "number": "phone_number", "selector": "select", "filter": "select",
                        "filters": "select", "match": "select", "where": "select",
                    ])
            }
        }
        if selectorKey == nil {
            error(at: node.position, "this channel rule has no selector; add exactly one of id:, phone_number: or select:")
            return nil
        }
        guard let selector, !selectorProblem, errorCount == errorsBefore else { return nil }
        if !setsAttribute {
            warning(at: selector.1, "this rule sets neither webhook nor local_storage, so it has no effect")
        }
        defer { nextRuleIndex += 1 }
        return ChannelRule(
            index: nextRuleIndex, location: location(node.position), selector: selector.0, selectorLocation: location(selector.1),
            webhook: webhook?.0, webhookLocation: (webhook?.1 ?? carveOuts[.webhook]).map { location($0) },
            localStorage: storage?.0, localStorageLocation: (storage?.1 ?? carveOuts[.localStorage]).map { location($0) },
            unmanaged: Set(carveOuts.keys))
    }

    mutating func decodeSelector(_ pair: YAMLPair) -> ChannelSelector? {
        switch pair.key {
        case "id":
            return identifier(pair.value, what: "id").map(ChannelSelector.id)
        case "phone_number":
            guard let value = stringValue(pair.value, what: "phone_number") else { return nil }
            let digits = PhoneNumber.normalized(value.text)
            if digits.isEmpty {
                error(
                    at: pair.value.position,
                    "phone_number \(shown(value)) has no digits; write the number with its country code, e.g. \"+49 151 1234 5678\"")
                return nil
            }
            if let problem = PhoneNumber.problem(value.text) {
                error(at: pair.value.position, "phone_number \(shown(value)) \(problem)")
                return nil
            }
            if digits.count > PhoneNumber.maxDigits {
                error(
                    at: pair.value.position,
                    "phone_number \(shown(value)) has \(digits.count) digits; international numbers have at most 15")
                return nil
            }
            if digits.hasPrefix("0") {
                warning(
                    at: pair.value.position,
                    "phone_number \(shown(value)) starts with 0; the API stores numbers with the country code and no leading 0 or 00 (e.g. \"+49 151 1234 5678\")"
                )
            }
            return .phoneNumber(digits)
        default:
            return decodeSelect(pair.value)
        }
    }

    mutating func decodeSelect(_ node: YAMLNode) -> ChannelSelector? {
        if let scalar = node.scalar {
            if scalar.isNull {
                error(at: node.position, "select has no value; write select: all, or a map such as select: { client.name: \"Acme*\" }")
                return nil
            }
            guard let value = stringValue(node, what: "select") else { return nil }
            if value.text == "all" { return .all }
            if value.text.lowercased() == "all" || value.text == "*" {
                error(at: node.position, "select takes all (lower-case) or a map of field paths; did you mean select: all?")
            } else if !value.expanded, ChannelFieldPath.isKnown(value.text) {
                error(at: node.position, "select needs a value for \(value.text); write select: { \(value.text): \"...\" }")
            } else {
                error(at: node.position, "select takes all or a map of field paths to values, e.g. select: { status: ready }")
            }
            return nil
        }
        guard let pairs = node.pairs else {
            error(
                at: node.position,
                "select takes all or a map of field paths to values, not a list; to match any of several values, give a field a list: select: { status: [ready, live] }"
            )
            return nil
        }
        if pairs.isEmpty {
            error(at: node.position, "select map is empty; write select: all to select every channel")
            return nil
        }
        var matches: [FieldMatch] = []
        var ok = true
        for pair in pairs {
            if let nested = pair.value.pairs {
                ok = false
                let example = nested.first.map { "\(pair.key).\($0.key)" } ?? "\(pair.key).name"
                error(
                    at: pair.value.position,
                    "select values must be one value or a * glob, not a mapping; write the dotted path instead (\(example): ...)")
                continue
            }
            guard ChannelFieldPath.isKnown(pair.key) else {
                ok = false
                error(at: pair.keyPosition, "unknown field path '\(pair.key)' in select; " + fieldPathSuggestion(pair.key))
                continue
            }
            guard let values = selectValues(pair) else { ok = false; continue }
            matches.append(FieldMatch(path: pair.key, values: values))
        }
        guard ok else { return nil }
        return .match(matches.sorted { $0.path < $1.path })
    }

    func fieldPathSuggestion(_ path: String) -> String {
        if let negated = Self.negatedPath(path) {
            return "to select every \(negated) but one value, negate the value instead: \(negated): \"!value\" (quoted)"
        }
        if let spaced = Self.missingSpace(in: path, known: ChannelFieldPath.all) { return spaced }
        if let close = Suggestion.closest(to: path, in: ChannelFieldPath.all) {
            return "did you mean '\(close)'?"
        }
        let suffixMatches = ChannelFieldPath.all.filter { $0.hasSuffix("." + path) }
        if !suffixMatches.isEmpty {
            return "did you mean " + suffixMatches.map { "'\($0)'" }.joined(separator: " or ") + "?"
        }
        return "known paths: " + ChannelFieldPath.all.joined(separator: ", ")
    }

}
