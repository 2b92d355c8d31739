import PartnerAPIRules

/// Scalars: text with `${}` expanded, identifiers, region codes, URLs and their rules.
extension ConfigFileDecoder {
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
    mutating func stringValue(_ node: YAMLNode, what: String, sensitive: Bool = false) -> StringValue? {
        guard let scalar = node.scalar else {
            error(at: node.position, "\(what) must be text, not \(node.kindDescription)")
            return nil
        }
        if scalar.isNull {
            error(at: node.position, "\(what) has no value")
            return nil
        }
        if scalar.isBooleanLike {
            error(
                at: node.position,
                sensitive
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
    mutating func identifier(_ node: YAMLNode, what: String) -> String? {
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

    mutating func localStorage(_ node: YAMLNode, what: String) -> LocalStorage? {
        let codes = Region.codes.joined(separator: ", ")
        guard let scalar = node.scalar, !scalar.isNull else {
            error(at: node.position, "\(what) must be a region code (\(codes)) or off for the default storage, not \(node.kindDescription)")
            return nil
        }
        if scalar.isBooleanLike {
            if scalar.text.lowercased() == "off" { return .off }
            let fix =
                ["no", "false"].contains(scalar.text.lowercased())
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
        let byName =
            value.text.count > 2
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
    mutating func checkURL(_ value: StringValue, node: YAMLNode, what: String, placeholders: Bool, webhookRules: Bool) -> Bool {
        var ok = true
        for token in WebhookURLTemplate.tokens(of: value.text) {
            switch token {
            case .literal:
                continue
            case .placeholder(let name, let offset):
                if !placeholders {
                    ok = false
                    error(
                        at: tokenPosition("{\(name)}", offset: offset, value: value, node: node),
                        "\(what) cannot use {\(name)}: placeholders are filled per channel, and this URL is the partner's")
                }
            case .unknown(let text, let offset):
                ok = false
                // A token that is not in the text as written came (partly) from a variable,
                // whose value may be secret: name the variables, never quote the value.
                guard !value.expanded || value.raw.contains(text) else {
                    error(
                        at: node.position,
                        "\(what) has an unknown placeholder after expanding \(variablesText(value)); placeholders are \(WebhookURLTemplate.placeholders.map { "{\($0)}" }.joined(separator: ", "))"
                    )
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
                    error(
                        at: node.position,
                        "unmatched brace in \(what) after expanding \(variablesText(value)); placeholders are written like {channel_id}")
                    continue
                }
                error(
                    at: tokenPosition(text, offset: offset, value: value, node: node),
                    "unmatched '\(text)' in \(what); placeholders are written like {channel_id}")
            }
        }
        guard ok else { return false }
        let filled = WebhookURLTemplate(value.text).fill(WebhookURLTemplate.sampleValues)
        let violations = WebhookURLRule.violations(of: filled, as: webhookRules ? .webhook : .https)
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

    func tokenPosition(_ token: String, offset: Int, value: StringValue, node: YAMLNode) -> YAMLPosition {
        guard let scalar = node.scalar else { return node.position }
        // Offsets are in the expanded text; find the token in the text as written.
        let rawOffset = value.expanded ? value.raw.unicodeScalarOffset(of: token) : offset
        guard let rawOffset else { return node.position }
        return position(ofOffset: rawOffset, in: node, scalar: scalar)
    }

    /// The position of a Unicode-scalar offset inside a scalar's text: exact when the
    /// scalar is written on its line as it reads (plain, or quoted without escapes before
    /// the offset), else the scalar's own position.
    func position(ofOffset offset: Int, in node: YAMLNode, scalar: YAMLScalar) -> YAMLPosition {
        guard offset > 0, let line = file.line(node.position.line) else { return node.position }
        let start = node.position.column - 1 + (scalar.isSingleLineQuoted ? 1 : 0)
        let value = Array(scalar.text.unicodeScalars.prefix(offset))
        guard value.count == offset, start >= 0, start + offset <= line.count,
            line[start..<(start + offset)].elementsEqual(value)
        else { return node.position }
        return YAMLPosition(line: node.position.line, column: start + offset + 1)
    }

    func shown(_ value: StringValue) -> String {
        value.expanded ? "(from \(variablesText(value)))" : "\"\(value.text)\""
    }

    func variablesText(_ value: StringValue) -> String {
        value.variables.map { "${\($0)}" }.joined(separator: ", ")
    }
}
