import PartnerAPIRules
import WabaformConfig

/// Writes an `ExportModel` as config text, line by line, so the order is exactly the
/// model's and every scalar is quoted where YAML (any version, any editor) could misread it.
enum ExportYAMLWriter {
    /// The first lines. With a schema URL (`--schema-url` / `WABAFORM_SCHEMA_URL`): the line by
    /// which editors that speak the YAML language server check the file against the schema.
    /// Without one, wabaform cannot know where the user keeps the schema, so it names no
    /// address (never a placeholder): a comment says how to add the line.
    static func schemaLines(_ schemaURL: String?) -> [String] {
        if let schemaURL, let line = schemaLine(schemaURL) { return [line] }
        return [
            "# Editors check this file against wabaform's JSON Schema (schemas/wabaform.schema.json) when its",
            "# first line is `# yaml-language-server: $schema=` and the schema's path or URL: export with",
            "# --schema-url (or WABAFORM_SCHEMA_URL) to write that line.",
        ]
    }

    /// The modeline for `url`, or nil when `url` cannot be written on one comment line.
    static func schemaLine(_ url: String) -> String? {
        guard !url.isEmpty, url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return nil }
        return "# yaml-language-server: $schema=" + url
    }

    static func render(_ model: ExportModel, options: ExportOptions, schemaURL: String? = nil) -> String {
        var lines = headLines(model, options: options, schemaURL: schemaURL) + partnerLines(model)
        let entries = entryLines(model)
        if !entries.isEmpty { lines += ["channels:"] + entries.joined() }
        lines += wabaLines(model.wabas)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The export in files of at most `maxBytes` each, to be read together as a directory
    /// (`plan -f DIR`, files in name order): `wabaform.yaml` alone when it fits; else
    /// `wabaform-001.yaml`, `wabaform-002.yaml`, … holding, in order, what the one file
    /// would: the partner and the first channel rules, more channel rules, the WABA rules.
    /// `whole`: `render` of the same model, options and schema URL (the caller has it).
    static func renderParts(_ model: ExportModel, options: ExportOptions, schemaURL: String?, whole: String, maxBytes: Int)
        -> [Exporter.Part]
    {
        if whole.utf8.count <= maxBytes { return [Exporter.Part(name: ConfigLoader.defaultFileName, text: whole)] }
        func bytes(_ lines: [String]) -> Int { lines.reduce(0) { $0 + $1.utf8.count + 1 } }
        var parts: [[String]] = []
        // The part being filled, its size so far (kept, not summed again for every entry:
        // that was quadratic, 3 s of a 100,000-channel export), and whether it has `channels:`.
        var current = headLines(model, options: options, schemaURL: schemaURL) + partnerLines(model)
        var size = bytes(current)
        var hasChannels = false
        func add(_ lines: [String]) {
            current += lines
            size += bytes(lines)
        }
        func startPart() {
            parts.append(current)
            (current, size, hasChannels) = ([], 0, false)
            add([
                comment(
                    "More of the export of partner \(model.partner.id): read with the other wabaform-NNN.yaml files of this directory.",
                    indent: 0), "version: 1",
            ])
        }
        for entry in entryLines(model) {
            if hasChannels, size + bytes(entry) > maxBytes { startPart() }
            if !hasChannels { add(["channels:"]) }
            add(entry)
            hasChannels = true
        }
        let wabas = wabaLines(model.wabas)
        if !wabas.isEmpty, size + bytes(wabas) > maxBytes { startPart() }
        add(wabas)
        parts.append(current)
        let width = max(3, String(parts.count).count)
        return parts.enumerated().map { offset, lines in
            let number = String(offset + 1)
            return Exporter.Part(
                name: "wabaform-" + String(repeating: "0", count: width - number.count) + number + ".yaml",
                text: lines.joined(separator: "\n") + "\n")
        }
    }

    /// The comments on top and `version: 1`.
    private static func headLines(_ model: ExportModel, options: ExportOptions, schemaURL: String?) -> [String] {
        var lines = schemaLines(schemaURL) + ["#"]
        let channels = model.channelCount == 1 ? "1 channel" : "\(model.channelCount) channels"
        lines.append(comment("Exported by `wabaform export` from the live state of partner \(model.partner.id) (\(channels)).", indent: 0))
        if options != .everything {
            lines.append("# Only the attributes the given config manages are written.")
        }
        lines.append("# `wabaform plan` with this file shows no changes. Review it, commit it, then make it yours.")
        if !model.variables.isEmpty {
            lines.append("#")
            lines.append("# Webhook header values are not written: each is a ${VARIABLE}. Before plan or apply, set")
            lines.append("# each variable below to the value that header has today, from wherever you keep it;")
            lines.append("# wabaform never reveals a header value.")
            for variable in model.variables {
                lines.append(comment("  \(variable.name): \(variable.usage)", indent: 0))
            }
        }
        lines.append("version: 1")
        return lines
    }

    private static func partnerLines(_ model: ExportModel) -> [String] {
        var lines = ["partner:", "  id: " + scalar(model.partner.id)]
        if let url = model.partner.webhookURL { lines.append("  webhook_url: " + scalar(url)) }
        if let url = model.partner.redirectURL { lines.append("  redirect_url: " + scalar(url)) }
        if let storage = model.partner.defaultLocalStorage { lines.append("  default_local_storage: \(storage)") }
        return lines + model.partner.remarks.map { comment($0, indent: 2) }
    }

    /// The lines of each `channels:` entry (a comment or a rule), in order.
    private static func entryLines(_ model: ExportModel) -> [[String]] {
        model.entries.map { entry in
            switch entry {
            case .comment(let text): text.map { comment($0, indent: 2) }
            case .rule(let rule): self.rule(rule)
            }
        }
    }

    /// `wabas:` with one `id` rule per WABA that has a webhook. `override_all` is not
    /// reported by the API, so it is not written (false, the default).
    private static func wabaLines(_ wabas: [ExportModel.WABA]) -> [String] {
        guard !wabas.isEmpty else { return [] }
        var lines = [
            "# WABA-wide webhooks. The API does not report override_all, so it is not written (default",
            "# false: a number's own webhook takes precedence); add override_all: true where you use it.",
            "wabas:",
        ]
        for waba in wabas {
            var first = "  - id: " + scalar(waba.id)
            if let name = waba.name, !name.isEmpty { first += "  " + comment(name, indent: 0) }
            lines.append(first)
            lines.append("    webhook:")
            lines.append("      url: " + scalar(waba.webhook.url))
            if !waba.webhook.headers.isEmpty {
                lines.append("      headers:")
                for header in waba.webhook.headers {
                    lines.append("        \(scalar(header.name)): " + quoted("${\(header.variable)}"))
                }
            }
        }
        return lines
    }

    private static func rule(_ rule: ExportModel.Rule) -> [String] {
        var first: String
        switch rule.selector {
        case .all: first = "  - select: all"
        case .client(let id): first = "  - select: { client_id: \(scalar(id, flow: true)) }"
        case .channel(let id): first = "  - id: " + scalar(id)
        }
        if let text = rule.comment { first += "  " + comment(text, indent: 0) }
        var lines = [first]
        lines += rule.remarks.map { comment($0, indent: 4) }
        if rule.unmanaged.contains(.webhook) { lines.append("    webhook: unmanaged") }
        if let webhook = rule.webhook {
            if webhook.headers.isEmpty {
                lines.append("    webhook: { url: \(scalar(webhook.url, flow: true)) }")
            } else {
                lines.append("    webhook:")
                lines.append("      url: " + scalar(webhook.url))
                lines.append("      headers:")
                for header in webhook.headers {
                    lines.append("        \(scalar(header.name)): " + quoted("${\(header.variable)}"))
                }
            }
        }
        if let storage = rule.localStorage { lines.append("    local_storage: \(storage)") }
        if rule.unmanaged.contains(.localStorage) { lines.append("    local_storage: unmanaged") }
        return lines
    }

    // MARK: Scalars and comments

    /// `# text` at `indent`, with anything that would end or break the line made a space, and
    /// other bidirectional or invisible characters shown escaped (`\u{202E}`), so a name from
    /// the API cannot make the file read differently from what it holds.
    static func comment(_ text: String, indent: Int) -> String {
        let clean = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
                        || scalar.value == 0x2029 || scalar.value == 0xFEFF ? " " : scalar
                }))
        return String(repeating: " ", count: indent) + "# " + TerminalText.escaped(clean)
    }

    /// Plain when no YAML reader could take it for anything but this text, else double-quoted;
    /// a `${` in it is written `$${`, so the config reads it as text, not as a variable.
    static func scalar(_ text: String, flow: Bool = false) -> String {
        let escaped = text.replacingOccurrences(of: "${", with: "$${")
        return isPlainSafe(escaped, flow: flow) ? escaped : quoted(escaped)
    }

    static func isPlainSafe(_ text: String, flow: Bool) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return false }
        // Printable ASCII without spaces; no character that starts something else in YAML.
        guard scalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) || last == ":" { return false }
        if scalars.contains(where: { "#{}$\\\"'".unicodeScalars.contains($0) }) { return false }
        // In a { } flow mapping, only identifier-like text goes unquoted (URLs are quoted).
        if flow, !scalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }) {
            return false
        }
        // Anything YAML 1.1 or 1.2 reads as a number, boolean or null.
        if ("0"..."9").contains(first) || "+.".unicodeScalars.contains(first) { return false }
        let booleansAndNull: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]
        return !booleansAndNull.contains(text.lowercased())
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        JSONText.escapeScalars(of: text, into: &out) { scalar in
            if scalar.value < 0x20 || scalar.value == 0x7F { return "\\x" + JSONText.hex(scalar.value, width: 2, uppercase: true) }
            if [0x85, 0x2028, 0x2029, 0xFEFF].contains(scalar.value) {
                return "\\u" + JSONText.hex(scalar.value, width: 4, uppercase: true)
            }
            return nil
        }
        return out + "\""
    }

}
