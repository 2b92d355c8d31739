import PartnerAPIRules

/// `webhook:` and `headers:` of a rule, and the masking of header values in excerpts.
extension ConfigFileDecoder {
    // MARK: webhook

    mutating func decodeWebhook(_ node: YAMLNode, keyPosition: YAMLPosition) -> WebhookSpec? {
        decodeWebhookMapping(node, keyPosition: keyPosition, of: .channel).map { WebhookSpec(urlTemplate: $0.url, headers: $0.headers) }
    }

    mutating func decodeWABAWebhook(_ node: YAMLNode, keyPosition: YAMLPosition) -> WABAWebhookSpec? {
        decodeWebhookMapping(node, keyPosition: keyPosition, of: .waba).map {
            WABAWebhookSpec(urlTemplate: $0.url, headers: $0.headers, overrideAll: $0.overrideAll)
        }
    }

    /// Whose webhook a `webhook:` mapping sets: a channel's (`url`, `headers`) or a WABA's
    /// (also `override_all`, and `{waba_id}` the only placeholder).
    enum WebhookOwner {
        case channel, waba
    }

    /// One grammar for both webhook mappings; what differs by owner is named where it differs.
    private mutating func decodeWebhookMapping(
        _ node: YAMLNode, keyPosition: YAMLPosition, of owner: WebhookOwner
    ) -> (url: WebhookURLTemplate, headers: [WebhookHeader], overrideAll: Bool)? {
        let isWABA = owner == .waba
        guard let pairs = node.pairs else {
            if !isWABA, let scalar = node.scalar, !scalar.isNull, !scalar.isBooleanLike {
                error(
                    at: node.position,
                    "webhook must be a mapping with url (and optional headers); write webhook: { url: \(scalar.isPlainUntagged ? scalar.text : "https://...") }"
                )
            } else {
                error(
                    at: node.scalar?.isNull == true ? keyPosition : node.position,
                    "webhook must be a mapping with url (and optional headers\(isWABA ? ", override_all" : "")), not \(node.kindDescription)"
                )
            }
            return nil
        }
        let urlWhat = isWABA ? "WABA webhook url" : "webhook url"
        var url: WebhookURLTemplate?
        var headers: [WebhookHeader] = []
        var overrideAll = false
        var sawURL = false
        var ok = true
        for pair in pairs {
            switch pair.key {
            case "url":
                sawURL = true
                guard let value = stringValue(pair.value, what: urlWhat),
                    checkURL(value, node: pair.value, what: urlWhat, placeholders: true, webhookRules: true),
                    !isWABA || onlyWABAPlaceholders(value, node: pair.value)
                else { ok = false; continue }
                url = WebhookURLTemplate(value.text)
            case "headers":
                if let value = decodeHeaders(pair.value) { headers = value } else { ok = false }
            case "override_all" where isWABA:
                guard let scalar = pair.value.scalar, scalar.isPlainUntagged, ["true", "false"].contains(scalar.text) else {
                    error(
                        at: pair.value.position,
                        "override_all must be true or false (unquoted), not \(pair.value.scalar.map { "\"\(TerminalText.escaped($0.text))\"" } ?? pair.value.kindDescription)"
                    )
                    ok = false
                    continue
                }
                overrideAll = scalar.text == "true"
            default:
                var hints = ["header": "headers", "uri": "url", "endpoint": "url", "webhook_url": "url"]
                if isWABA { hints.merge(["overrideAll": "override_all", "override": "override_all"]) { $1 } }
                unknownKey(
                    pair, in: isWABA ? "in a WABA webhook" : "in webhook", known: isWABA ? ConfigKeys.wabaWebhook : ConfigKeys.webhook,
                    hints: hints)
                ok = false
            }
        }
        if !sawURL {
            error(at: keyPosition, "webhook has no url; add url: https://...")
            return nil
        }
        guard ok, let url else { return nil }
        return (url, headers, overrideAll)
    }

    mutating func decodeHeaders(_ node: YAMLNode) -> [WebhookHeader]? {
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
            if !HeaderRule.isValidName(name) {
                error(at: pair.keyPosition, "'\(name)' is not a valid HTTP header name (\(HeaderRule.nameCharacters))")
                ok = false
            } else if let first = seen[name.lowercased()] {
                error(at: pair.keyPosition, "header \(name) is already set at line \(first.line); header names are case-insensitive")
                ok = false
            }
            seen[name.lowercased()] = seen[name.lowercased()] ?? pair.keyPosition
            // Never quote the value: not in messages, not in the source excerpt.
            guard let value = stringValue(pair.value, what: "header \(name)", sensitive: true) else { ok = false; continue }
            // A variable used in a header value is as secret as the value.
            for variable in value.variables { if let part = environment[variable] { SecretRedactor.shared.register(part) } }
            if let problem = HeaderRule.valueProblem(value.text) {
                error(at: pair.value.position, "header \(name) value \(problem)")
                ok = false
                continue
            }
            headers.append(WebhookHeader(name: name, value: Secret(value.text)))
        }
        return ok ? headers : nil
    }

    /// Hides `node` in source excerpts: exactly, for a scalar written on one line; else
    /// everything from it up to the next node after it.
    mutating func markSensitive(_ node: YAMLNode) {
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
        let end = low < nodePositions.count ? nodePositions[low] : YAMLPosition(line: file.lineCount + 1, column: 1)
        output.sensitiveSpans.append((node.position, end))
    }

    /// Where a scalar written on one line ends (exclusive), or nil when it cannot be told.
    func singleLineEnd(of node: YAMLNode) -> YAMLPosition? {
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

    func lastPosition(in node: YAMLNode) -> YAMLPosition {
        switch node.kind {
        case .scalar: node.position
        case .sequence(let items): items.map(lastPosition(in:)).max() ?? node.position
        case .mapping(let pairs): pairs.map { max($0.keyPosition, lastPosition(in: $0.value)) }.max() ?? node.position
        }
    }
}
