import PartnerAPIRules

/// Decodes one composed file into the typed model, collecting every problem.
struct ConfigFileDecoder {
    struct Output {
        var partner: PartnerSpec?
        /// Where `partner:` is, when the file has the key (even if its value is invalid).
        var partnerKeyLocation: SourceLocation?
        var rules: [ChannelRule] = []
        var diagnostics: [Diagnostic] = []
        /// Header value nodes (start, and start of the first node after them): never shown.
        var sensitiveSpans: [(start: YAMLPosition, end: YAMLPosition)] = []
        /// False when the top level is not a mapping (so "no partner" would be noise).
        var topLevelIsMapping = true
    }

    let file: SourceFile
    let environment: [String: String]
    let nodePositions: [YAMLPosition]
    private(set) var output = Output()
    private var nextRuleIndex: Int
    private var errorCount = 0

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
            error(at: root.position, root.items != nil
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
            default:
                unknownKey(pair, in: "at the top level", known: ConfigKeys.topLevel, hints: [
                    "channel": "channels", "rules": "channels", "partners": "partner", "webhook": "channels (webhooks are set per channel rule)",
                    "webhook_url": "partner: webhook_url", "local_storage": "channels (local_storage is set per channel rule)",
                ])
            }
        }
        if !sawVersion {
            error(at: root.position, "missing version; add version: \(ConfigKeys.supportedVersion) at the top of the file")
        }
    }

    private mutating func decodeVersion(_ node: YAMLNode) {
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

    private mutating func decodePartner(_ node: YAMLNode, keyPosition: YAMLPosition) -> PartnerSpec? {
        guard let pairs = node.pairs else {
            if let scalar = node.scalar, !scalar.isNull {
                error(at: node.position, "partner must be a mapping; write partner: followed by an indented id: \(scalar.isPlainUntagged ? scalar.text : "...")")
            } else {
                error(at: node.scalar?.isNull == true ? keyPosition : node.position,
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
                   checkURL(value, node: pair.value, what: "partner.webhook_url", placeholders: false, webhookRules: true) {
                    webhookURL = (value.text, pair.keyPosition)
                }
            case "redirect_url":
                if let value = stringValue(pair.value, what: "partner.redirect_url"),
                   checkURL(value, node: pair.value, what: "partner.redirect_url", placeholders: false, webhookRules: false) {
                    redirectURL = (value.text, pair.keyPosition)
                }
            case "default_local_storage":
                if let value = localStorage(pair.value, what: "partner.default_local_storage") {
                    storage = (value, pair.keyPosition)
                }
            default:
                unknownKey(pair, in: "in partner", known: ConfigKeys.partner, hints: [
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

    private mutating func decodeChannels(_ node: YAMLNode) {
        if let scalar = node.scalar, scalar.isNull { return } // `channels:` with every rule commented out
        guard let items = node.items else {
            error(at: node.position, node.pairs != nil
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

    private mutating func decodeRule(_ node: YAMLNode) -> ChannelRule? {
        guard let pairs = node.pairs else {
            if let scalar = node.scalar, !scalar.isNull, scalar.isPlainUntagged {
                error(at: node.position, "a channel rule must be a mapping; to select one channel by id write - id: \(scalar.text)")
            } else {
                error(at: node.position, "a channel rule must be a mapping with a selector (id:, phone_number: or select:), not \(node.kindDescription)")
            }
            return nil
        }
        var selector: (ChannelSelector, YAMLPosition)?
        var selectorKey: (String, YAMLPosition)?
        var selectorProblem = false
        var webhook: (WebhookSpec, YAMLPosition)?
        var storage: (LocalStorage, YAMLPosition)?
        var setsAttribute = false
        let errorsBefore = errorCount
        for pair in pairs {
            if ConfigKeys.selectors.contains(pair.key) {
                if let (previous, _) = selectorKey {
                    error(at: pair.keyPosition,
                          "this rule has both \(previous) and \(pair.key); use exactly one selector per rule (split it into two rules)")
                    selectorProblem = true
                    continue
                }
                selectorKey = (pair.key, pair.keyPosition)
                if let value = decodeSelector(pair) { selector = (value, pair.keyPosition) } else { selectorProblem = true }
                continue
            }
            switch pair.key {
            case "webhook":
                setsAttribute = true
                if let value = decodeWebhook(pair.value, keyPosition: pair.keyPosition) { webhook = (value, pair.keyPosition) }
            case "local_storage":
                setsAttribute = true
                if let value = localStorage(pair.value, what: "local_storage") { storage = (value, pair.keyPosition) }
            default:
                unknownKey(pair, in: "in a channel rule", known: ConfigKeys.channelRule, hints: [
                    "url": "webhook: { url: ... } (url belongs under webhook)", "headers": "webhook: { headers: ... } (headers belong under webhook)",
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
            webhook: webhook?.0, webhookLocation: webhook.map { location($0.1) },
            localStorage: storage?.0, localStorageLocation: storage.map { location($0.1) })
    }

    private mutating func decodeSelector(_ pair: YAMLPair) -> ChannelSelector? {
        switch pair.key {
        case "id":
            return identifier(pair.value, what: "id").map(ChannelSelector.id)
        case "phone_number":
            guard let value = stringValue(pair.value, what: "phone_number") else { return nil }
            let digits = PhoneNumber.normalized(value.text)
            if digits.isEmpty {
                error(at: pair.value.position, "phone_number \(shown(value)) has no digits; write the number with its country code, e.g. \"+49 151 1234 5678\"")
                return nil
            }
            if digits.count > 15 {
                error(at: pair.value.position, "phone_number \(shown(value)) has \(digits.count) digits; international numbers have at most 15")
                return nil
            }
            if digits.hasPrefix("0") {
                warning(at: pair.value.position, "phone_number \(shown(value)) starts with 0; the API stores numbers with the country code and no leading 0 or 00 (e.g. \"+49 151 1234 5678\")")
            }
            return .phoneNumber(digits)
        default:
            return decodeSelect(pair.value)
        }
    }

    private mutating func decodeSelect(_ node: YAMLNode) -> ChannelSelector? {
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
            error(at: node.position, "select takes all or a map of field paths to values, not a list; to match several values write several rules")
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
                error(at: pair.value.position, "select values must be one value or a * glob, not a mapping; write the dotted path instead (\(example): ...)")
                continue
            }
            guard ChannelFieldPath.isKnown(pair.key) else {
                ok = false
                error(at: pair.keyPosition, "unknown field path '\(pair.key)' in select; " + fieldPathSuggestion(pair.key))
                continue
            }
            if pair.value.items != nil {
                ok = false
                error(at: pair.value.position, "select value for \(pair.key) must be one value or a * glob, not a list; to match several values, write one rule per value")
                continue
            }
            guard let value = stringValue(pair.value, what: "select value for \(pair.key)") else { ok = false; continue }
            matches.append(FieldMatch(path: pair.key, pattern: GlobPattern(value.text)))
        }
        guard ok else { return nil }
        return .match(matches.sorted { $0.path < $1.path })
    }

    private func fieldPathSuggestion(_ path: String) -> String {
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

    // MARK: webhook

    private mutating func decodeWebhook(_ node: YAMLNode, keyPosition: YAMLPosition) -> WebhookSpec? {
        guard let pairs = node.pairs else {
            if let scalar = node.scalar, !scalar.isNull, !scalar.isBooleanLike {
                error(at: node.position, "webhook must be a mapping with url (and optional headers); write webhook: { url: \(scalar.isPlainUntagged ? scalar.text : "https://...") }")
            } else {
                error(at: node.scalar?.isNull == true ? keyPosition : node.position,
                      "webhook must be a mapping with url (and optional headers), not \(node.kindDescription)")
            }
            return nil
        }
        var url: WebhookURLTemplate?
        var headers: [WebhookHeader] = []
        var sawURL = false
        var ok = true
        for pair in pairs {
            switch pair.key {
            case "url":
                sawURL = true
                guard let value = stringValue(pair.value, what: "webhook url"),
                      checkURL(value, node: pair.value, what: "webhook url", placeholders: true, webhookRules: true)
                else { ok = false; continue }
                url = WebhookURLTemplate(value.text)
            case "headers":
                if let value = decodeHeaders(pair.value) { headers = value } else { ok = false }
            default:
                unknownKey(pair, in: "in webhook", known: ConfigKeys.webhook, hints: [
                    "header": "headers", "uri": "url", "endpoint": "url", "webhook_url": "url",
                ])
                ok = false
            }
        }
        if !sawURL {
            error(at: keyPosition, "webhook has no url; add url: https://...")
            return nil
        }
        guard ok, let url else { return nil }
        return WebhookSpec(urlTemplate: url, headers: headers)
    }

    private mutating func decodeHeaders(_ node: YAMLNode) -> [WebhookHeader]? {
        // Hide every value (names may show); if it is not a mapping, hide all of it.
        if let pairs = node.pairs {
            for pair in pairs { markSensitive(pair.value) }
        } else {
            markSensitive(node)
        }
        if let scalar = node.scalar, scalar.isNull { return [] }
        guard let pairs = node.pairs else {
            error(at: node.position, "headers must be a mapping of header names to values (X-Name: value), not \(node.kindDescription)")
            return nil
        }
        var headers: [WebhookHeader] = []
        var seen: [String: YAMLPosition] = [:]
        var ok = true
        for pair in pairs {
            let name = pair.key
            if name.isEmpty || !name.unicodeScalars.allSatisfy(Self.isTokenCharacter) {
                error(at: pair.keyPosition, "'\(name)' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")
                ok = false
            } else if let first = seen[name.lowercased()] {
                error(at: pair.keyPosition, "header \(name) is already set at line \(first.line); header names are case-insensitive")
                ok = false
            }
            seen[name.lowercased()] = seen[name.lowercased()] ?? pair.keyPosition
            // Never quote the value: not in messages, not in the source excerpt.
            guard let value = stringValue(pair.value, what: "header \(name)", sensitive: true) else { ok = false; continue }
            if value.text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) {
                error(at: pair.value.position, "header \(name) value contains a line break, which an HTTP header cannot carry")
                ok = false
                continue
            }
            headers.append(WebhookHeader(name: name, value: Secret(value.text)))
        }
        return ok ? headers : nil
    }

    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
    }

    /// Hides `node` in source excerpts: exactly, for a scalar written on one line; else
    /// everything from it up to the next node after it.
    private mutating func markSensitive(_ node: YAMLNode) {
        if let end = singleLineEnd(of: node) {
            output.sensitiveSpans.append((node.position, end))
            return
        }
        let last = lastPosition(in: node)
        var low = 0, high = nodePositions.count
        while low < high {
            let mid = (low + high) / 2
            if nodePositions[mid] <= last { low = mid + 1 } else { high = mid }
        }
        let end = low < nodePositions.count ? nodePositions[low] : YAMLPosition(line: file.lines.count + 1, column: 1)
        output.sensitiveSpans.append((node.position, end))
    }

    /// Where a scalar written on one line ends (exclusive), or nil when it cannot be told.
    private func singleLineEnd(of node: YAMLNode) -> YAMLPosition? {
        guard let scalar = node.scalar, let line = file.line(node.position.line) else { return nil }
        let start = node.position.column - 1
        guard start >= 0, start < line.count else { return nil }
        switch scalar.style {
        case .plain:
            let text = Array(scalar.text.unicodeScalars)
            guard !text.isEmpty, start + text.count <= line.count, line[start..<(start + text.count)].elementsEqual(text)
            else { return nil }
            return YAMLPosition(line: node.position.line, column: start + text.count + 1)
        case .singleQuoted, .doubleQuoted:
            let quote = line[start]
            var index = start + 1
            while index < line.count {
                if quote == "\"", line[index] == "\\" { index += 2; continue }
                if line[index] == quote {
                    if quote == "'", index + 1 < line.count, line[index + 1] == "'" { index += 2; continue }
                    return YAMLPosition(line: node.position.line, column: index + 2)
                }
                index += 1
            }
            return nil
        case .literal, .folded:
            return nil
        }
    }

    private func lastPosition(in node: YAMLNode) -> YAMLPosition {
        switch node.kind {
        case .scalar: node.position
        case .sequence(let items): items.map(lastPosition(in:)).max() ?? node.position
        case .mapping(let pairs): pairs.map { max($0.keyPosition, lastPosition(in: $0.value)) }.max() ?? node.position
        }
    }

    // MARK: Values

    struct StringValue {
        let text: String
        /// The text as written, before `${}` expansion.
        let raw: String
        let scalar: YAMLScalar
        let variables: [String]
        var expanded: Bool { !variables.isEmpty }
    }

    /// A scalar as text, `${}` expanded. Rejects lists, mappings, empty values and unquoted
    /// booleans (`yes`, `no`, `on`, `off`, `true`, `false`); numbers are kept as written.
    private mutating func stringValue(_ node: YAMLNode, what: String, sensitive: Bool = false) -> StringValue? {
        guard let scalar = node.scalar else {
            error(at: node.position, "\(what) must be text, not \(node.kindDescription)")
            return nil
        }
        if scalar.isNull {
            error(at: node.position, "\(what) has no value")
            return nil
        }
        if scalar.isBooleanLike {
            error(at: node.position, sensitive
                ? "\(what) is an unquoted yes/no/on/off/true/false, which YAML reads as a boolean; quote the value"
                : "\(what): YAML reads an unquoted \(scalar.text) as a boolean; quote it (\"\(scalar.text)\") if you mean the text")
            return nil
        }
        let expansion = Interpolation.expand(scalar.text, environment: environment)
        for problem in expansion.problems {
            error(at: position(ofOffset: problem.offset, in: node, scalar: scalar), problem.message)
        }
        guard expansion.problems.isEmpty else { return nil }
        return StringValue(text: expansion.value, raw: scalar.text, scalar: scalar, variables: expansion.variables)
    }

    /// A non-empty text without spaces (ids).
    private mutating func identifier(_ node: YAMLNode, what: String) -> String? {
        guard let value = stringValue(node, what: what) else { return nil }
        if value.text.isEmpty {
            error(at: node.position, value.expanded ? "\(what) is empty (\(variablesText(value)) expands to nothing)" : "\(what) is empty")
            return nil
        }
        if value.text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            error(at: node.position, "\(what) \(shown(value)) contains whitespace; ids have none")
            return nil
        }
        return value.text
    }

    private mutating func localStorage(_ node: YAMLNode, what: String) -> LocalStorage? {
        let codes = Region.codes.joined(separator: ", ")
        guard let scalar = node.scalar, !scalar.isNull else {
            error(at: node.position, "\(what) must be a region code (\(codes)) or off for the default storage, not \(node.kindDescription)")
            return nil
        }
        if scalar.isBooleanLike {
            if scalar.text.lowercased() == "off" { return .off }
            let fix = ["no", "false"].contains(scalar.text.lowercased())
                ? "write off for the default storage, or a region code (\(codes))"
                : "write a region code (\(codes)), or off for the default storage"
            error(at: node.position, "\(what): an unquoted \(scalar.text) is a boolean in YAML, not a region; \(fix)")
            return nil
        }
        guard let value = stringValue(node, what: what) else { return nil }
        if value.text.lowercased() == "off" { return .off }
        if let region = Region(code: value.text) { return .region(region) }
        var message = "unknown region code \(shown(value)) for \(what)"
        let upper = value.text.uppercased()
        let byName = value.text.count > 2
            ? Region.all.first { $0.name.lowercased().hasPrefix(value.text.lowercased()) } : nil
        if upper == "UK" {
            message += "; did you mean GB, for United Kingdom?"
        } else if upper == "US" {
            message += "; the default storage is in the US: write off"
        } else if upper == "EU" || upper == "EUROPE", let germany = Region(code: "DE") {
            message += "; did you mean DE, for \(germany.name)?"
        } else if let byName {
            message += "; did you mean \(byName.code), for \(byName.name)?"
        } else if !value.expanded, let close = Suggestion.closest(to: value.text, in: Region.codes + ["off"]) {
            message += "; did you mean \(close)?"
        } else {
            message += "; expected one of \(codes), or off for the default storage"
        }
        error(at: node.position, message)
        return nil
    }

    /// Checks a URL: placeholders (known ones only, and only where allowed), then the
    /// rules of `WebhookURLRule` with sample values filled in. Reports and returns false
    /// on any problem.
    private mutating func checkURL(_ value: StringValue, node: YAMLNode, what: String, placeholders: Bool, webhookRules: Bool) -> Bool {
        var ok = true
        for token in WebhookURLTemplate.tokens(of: value.text) {
            switch token {
            case .literal:
                continue
            case .placeholder(let name, let offset):
                if !placeholders {
                    ok = false
                    error(at: tokenPosition("{\(name)}", offset: offset, value: value, node: node),
                          "\(what) cannot use {\(name)}: placeholders are filled per channel, and this URL is the partner's")
                }
            case .unknown(let text, let offset):
                ok = false
                // A token that is not in the text as written came (partly) from a variable,
                // whose value may be secret: name the variables, never quote the value.
                guard !value.expanded || value.raw.contains(text) else {
                    error(at: node.position, "\(what) has an unknown placeholder after expanding \(variablesText(value)); placeholders are \(WebhookURLTemplate.placeholders.map { "{\($0)}" }.joined(separator: ", "))")
                    continue
                }
                var message = "unknown placeholder \(text) in \(what)"
                if placeholders {
                    let name = String(text.dropFirst().dropLast())
                    if let close = Suggestion.closest(to: name, in: WebhookURLTemplate.placeholders) {
                        message += "; did you mean {\(close)}?"
                    } else {
                        message += "; known placeholders: " + WebhookURLTemplate.placeholders.map { "{\($0)}" }.joined(separator: ", ")
                    }
                } else {
                    message += "; placeholders are only for channel webhooks, and braces are not valid in a URL"
                }
                error(at: tokenPosition(text, offset: offset, value: value, node: node), message)
            case .unmatched(let text, let offset):
                ok = false
                guard !value.expanded || value.raw.contains(text) else {
                    error(at: node.position, "unmatched brace in \(what) after expanding \(variablesText(value)); placeholders are written like {channel_id}")
                    continue
                }
                error(at: tokenPosition(text, offset: offset, value: value, node: node),
                      "unmatched '\(text)' in \(what); placeholders are written like {channel_id}")
            }
        }
        guard ok else { return false }
        let filled = WebhookURLTemplate(value.text).fill(WebhookURLTemplate.sampleValues)
        var violations = WebhookURLRule.violations(of: filled)
        if !webhookRules {
            violations.removeAll {
                if case .underscoreInHost = $0 { return true }
                if case .explicitPort = $0 { return true }
                return false
            }
        }
        if violations.contains(.notHTTPS(scheme: "")), violations.contains(.missingHost) {
            error(at: node.position, "\(what) has no scheme or host; write it as https://host/path")
            return false
        }
        for violation in violations {
            var text = violation.description
            // Parts of a URL that came from a variable may be secret: quote a scheme, host or
            // port only when it is in the text as written.
            switch violation {
            case .underscoreInHost where value.expanded:
                text = "host contains \"_\", which 360dialog rejects; use \"-\" instead"
            case .notHTTPS(let scheme) where value.expanded && !value.raw.contains(scheme) && !Self.commonSchemes.contains(scheme):
                text = "must use https"
            case .explicitPort(let port) where value.expanded && !value.raw.contains(":\(port)"):
                text = "has an explicit port, which 360dialog rejects; serve it on 443 and drop the port"
            default:
                break
            }
            if case .malformed = violation, value.text != value.text.trimmingSpaces {
                text = "has spaces around it; remove them (quote the URL if it needs none)"
            }
            error(at: node.position, "\(what) \(text)" + (value.expanded ? " (after expanding \(variablesText(value)))" : ""))
        }
        return violations.isEmpty
    }

    /// Schemes safe to name even when they came from a variable: they say nothing secret.
    static let commonSchemes: Set<String> = ["http", "ftp", "ws", "wss", "file", "mailto"]

    private func tokenPosition(_ token: String, offset: Int, value: StringValue, node: YAMLNode) -> YAMLPosition {
        guard let scalar = node.scalar else { return node.position }
        // Offsets are in the expanded text; find the token in the text as written.
        let rawOffset = value.expanded ? value.raw.unicodeScalarOffset(of: token) : offset
        guard let rawOffset else { return node.position }
        return position(ofOffset: rawOffset, in: node, scalar: scalar)
    }

    /// The position of a Unicode-scalar offset inside a scalar's text: exact when the
    /// scalar is written on its line as it reads (plain, or quoted without escapes before
    /// the offset), else the scalar's own position.
    private func position(ofOffset offset: Int, in node: YAMLNode, scalar: YAMLScalar) -> YAMLPosition {
        guard offset > 0, let line = file.line(node.position.line) else { return node.position }
        let start = node.position.column - 1 + (scalar.isSingleLineQuoted ? 1 : 0)
        let value = Array(scalar.text.unicodeScalars.prefix(offset))
        guard value.count == offset, start >= 0, start + offset <= line.count,
              line[start..<(start + offset)].elementsEqual(value) else { return node.position }
        return YAMLPosition(line: node.position.line, column: start + offset + 1)
    }

    private func shown(_ value: StringValue) -> String {
        value.expanded ? "(from \(variablesText(value)))" : "\"\(value.text)\""
    }

    private func variablesText(_ value: StringValue) -> String {
        value.variables.map { "${\($0)}" }.joined(separator: ", ")
    }

    // MARK: Keys and diagnostics

    /// For `key:value` written without a space (YAML reads it as one key).
    static func missingSpace(in key: String, known: [String]) -> String? {
        guard let colon = key.firstIndex(of: ":"), known.contains(String(key[..<colon])) else { return nil }
        let name = key[..<colon], value = key[key.index(after: colon)...]
        return "add a space after ':' (write \(name): \(value)), or YAML reads it as one key"
    }

    private mutating func unknownKey(_ pair: YAMLPair, in place: String, known: [String], hints: [String: String]) {
        var message = "unknown key '\(pair.key)' \(place)"
        if let spaced = Self.missingSpace(in: pair.key, known: known) {
            message += "; " + spaced
        } else if let hint = hints[pair.key] {
            message += hint.contains(" ") ? "; did you mean \(hint)?" : "; did you mean '\(hint)'?"
        } else if pair.key == "<<" {
            message += "; merge keys (<<) are not supported: repeat the keys, or use an alias (*name) as a value"
        } else if let close = Suggestion.closest(to: pair.key, in: known) {
            message += "; did you mean '\(close)'?"
        } else {
            message += "; expected one of: " + known.joined(separator: ", ")
        }
        error(at: pair.keyPosition, message)
    }

    private func location(_ position: YAMLPosition) -> SourceLocation {
        file.location(line: position.line, column: position.column)
    }

    private mutating func error(at position: YAMLPosition, _ message: String) {
        errorCount += 1
        output.diagnostics.append(.error(at: location(position), message))
    }

    private mutating func warning(at position: YAMLPosition, _ message: String) {
        output.diagnostics.append(.warning(at: location(position), message))
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    func unicodeScalarOffset(of needle: String) -> Int? {
        guard let range = range(of: needle) else { return nil }
        return unicodeScalars.distance(from: unicodeScalars.startIndex, to: range.lowerBound)
    }
}
