import PartnerAPIRules
import WabaformConfig

/// Live state → a config that plans to no changes against it. Pure: no I/O.
///
/// The partner's fields are written as they are. For each channel attribute
/// (`AttributeCover`): one `select: all` rule for the most common value (webhook URLs that
/// differ only by the channel's own ids or number become one templated URL), client rules
/// where a client's channels share another value, and `id` rules for the rest, each with a
/// comment naming the number and the client. Header values become `${VARIABLES}`.
/// Everything is sorted, so the same state always gives the same bytes.
public enum Exporter {
    public struct Result: Sendable, Equatable {
        public var model: ExportModel
        /// The export as one file.
        public var text: String
        /// What is written: `text` as one part for `.file`; for `.directory`, files of at most
        /// its size each (`wabaform.yaml` alone when the export fits in one).
        public var parts: [Part]

        /// Lines of all parts.
        public var lineCount: Int { parts.reduce(0) { total, part in part.text.reduce(total) { $1 == "\n" ? $0 + 1 : $0 } } }
    }

    /// One file of an export: its name in the directory, its text.
    public struct Part: Sendable, Equatable {
        public var name: String
        public var text: String
    }

    /// Where an export goes: one file (or stdout), or a directory that `plan -f DIR` reads,
    /// in files of at most `partBytes` each (wabaform reads config files of at most
    /// `ConfigLimits.maxFileBytes`).
    public enum Layout: Sendable, Equatable {
        /// One file of at most `maxBytes`.
        case file(maxBytes: Int = ConfigLimits.maxFileBytes)
        case directory(partBytes: Int = ConfigLimits.maxFileBytes)

        public static let file = Layout.file()

        /// The most one file of the export may hold.
        public var maxBytes: Int {
            switch self {
            case .file(let bytes), .directory(let bytes): bytes
            }
        }
    }

    /// `schemaURL`: where the file's first line points editors for the JSON Schema (a path
    /// relative to the file, or a URL); nil writes no address, only how to add one.
    public static func export(
        _ snapshot: LiveSnapshot, options: ExportOptions = .everything, schemaURL: String? = nil, layout: Layout = .file
    ) -> Result {
        let model = model(snapshot, options: options)
        let text = ExportYAMLWriter.render(model, options: options, schemaURL: schemaURL)
        switch layout {
        case .file:
            return Result(model: model, text: text, parts: [Part(name: ConfigLoader.defaultFileName, text: text)])
        case .directory(let partBytes):
            let parts = ExportYAMLWriter.renderParts(
                model, options: options, schemaURL: schemaURL, whole: text, maxBytes: partBytes)
            return Result(model: model, text: text, parts: parts)
        }
    }

    /// Whether `url` fits on the schema comment line: printable ASCII, no spaces.
    public static func canWriteSchemaURL(_ url: String) -> Bool { ExportYAMLWriter.schemaLine(url) != nil }

    public static func model(_ snapshot: LiveSnapshot, options: ExportOptions = .everything) -> ExportModel {
        let channels = snapshot.channels.sorted { $0.id < $1.id }
        var warnings: [String] = []
        let partner = partner(snapshot.partner, options: options, warnings: &warnings)

        var remarks: [String: [String]] = [:]
        let webhooks = WebhookWants(
            channels: options.channelWebhooks ? channels : [], snapshot: snapshot, remarks: &remarks, warnings: &warnings)
        let webhookCover = AttributeCover<ExportModel.Webhook>(
            channels: options.channelWebhooks ? channels : [], wants: webhooks.wants, fits: webhooks.fits,
            prefer: { a, b in
                let (pa, pb) = (URLTemplating.placeholderCount(a.url), URLTemplating.placeholderCount(b.url))
                if pa != pb { return pa < pb }
                if a.url != b.url { return a.url < b.url }
                return a.headers.map(\.variable).lexicographicallyPrecedes(b.headers.map(\.variable))
            })

        let storage = StorageWants(
            channels: options.channelLocalStorage ? channels : [], remarks: &remarks, warnings: &warnings)
        let storageCover = AttributeCover<LocalStorage>(
            channels: options.channelLocalStorage ? channels : [], wants: storage.wants, fits: storage.fits,
            prefer: { a, b in (a.regionCode ?? "") < (b.regionCode ?? "") })

        // No webhook read at all (no channel keys given): one comment, not one per channel.
        let noWebhookRead = channels.count > 1 && webhooks.unread.count == channels.count
        if noWebhookRead, let example = channels.first {
            warnings.removeAll { $0.hasPrefix("channel ") && $0.contains(": webhook not read (") }
            warnings.append("no channel webhook could be read (e.g. \(example.id): \(webhooks.unread[example.id]!)); webhooks are left out")
        }
        // Unread values: say so where the channel appears, and whether a select rule covers it.
        for channel in channels {
            let client = clientKey(channel)
            for (attribute, reason, rule) in [
                ("webhook", noWebhookRead ? nil : webhooks.unread[channel.id], coveringRule(client, webhookCover)),
                ("local storage", storage.unread[channel.id], coveringRule(client, storageCover)),
            ] {
                guard let reason else { continue }
                remarks[channel.id, default: []].append(
                    rule.map {
                        "\(attribute) not read (\(reason)); \($0) above sets it, so plan reports it as unknown until it can be read"
                    } ?? "\(attribute) not read (\(reason)), so not written")
            }
        }

        var entries: [ExportModel.Entry] = []
        if noWebhookRead {
            entries.append(
                .comment([
                    "No channel's webhook could be read (no usable channel keys), so webhooks are not written.",
                    "Give keys with --channel-keys FILE or WABAFORM_CHANNEL_KEY_<CHANNEL_ID> to export them.",
                ]))
        }
        if !webhooks.uncovered.isEmpty {
            entries.append(
                .comment(
                    webhookCover.all == nil
                        ? uncoveredComment(webhooks, channelCount: channels.count)
                        : carveOutComment(webhooks, channelCount: channels.count)))
        }
        if webhookCover.all != nil || storageCover.all != nil {
            var parts: [String] = []
            if webhookCover.all != nil { parts.append("the webhook of \(webhookCover.allCount)") }
            if storageCover.all != nil { parts.append("the local storage of \(storageCover.allCount)") }
            entries.append(
                .rule(
                    ExportModel.Rule(
                        selector: .all, comment: "most common: " + parts.joined(separator: " and ") + " of \(channels.count) channels",
                        webhook: webhookCover.all, localStorage: storageCover.all)))
        }
        let clients = Dictionary(grouping: channels.filter { clientKey($0) != nil }, by: { clientKey($0)! })
        for client in Set(webhookCover.clients.keys).union(storageCover.clients.keys).sorted() {
            let members = clients[client] ?? []
            entries.append(
                .rule(
                    ExportModel.Rule(
                        selector: .client(id: client),
                        comment: [members.first?.clientName, "\(members.count) channel\(members.count == 1 ? "" : "s")"].compactMap { $0 }
                            .joined(separator: ", "),
                        webhook: webhookCover.clients[client], localStorage: storageCover.clients[client])))
        }
        let carved = (webhook: Set(webhookCover.carveOuts), storage: Set(storageCover.carveOuts))
        let webhookless = Set(webhooks.webhookless)
        for channel in channels {
            let webhook = webhookCover.exceptions[channel.id]
            let region = storageCover.exceptions[channel.id]
            let unmanaged =
                (carved.webhook.contains(channel.id) ? [ManagedAttribute.webhook] : [])
                + (carved.storage.contains(channel.id) ? [.localStorage] : [])
            var notes = remarks[channel.id] ?? []
            if carved.webhook.contains(channel.id), webhookless.contains(channel.id) {
                notes.insert("no webhook: a rule cannot say \"no webhook\", so it is left unmanaged", at: 0)
            }
            let about = describe(channel)
            if webhook != nil || region != nil || !unmanaged.isEmpty {
                entries.append(
                    .rule(
                        ExportModel.Rule(
                            selector: .channel(id: channel.id), comment: about.isEmpty ? nil : about, remarks: notes,
                            webhook: webhook, localStorage: region, unmanaged: unmanaged)))
            } else if !notes.isEmpty {
                let name = about.isEmpty ? channel.id : "\(channel.id) (\(about))"
                entries.append(.comment(notes.map { "\(name): \($0)" }))
            }
        }
        var model = ExportModel(
            partner: partner, channelCount: channels.count, entries: entries, variables: webhooks.variables,
            warnings: SayOnce.collapseChannelLines(warnings))
        if options.wabaWebhooks { addWABAs(snapshot, to: &model) }
        return model
    }

    /// The client id a `select: { client_id: … }` map would match exactly (no `*`, which
    /// would be a glob), or nil.
    static func clientKey(_ channel: LiveChannel) -> String? {
        guard let id = channel.fields["client_id"], !id.isEmpty, !id.contains("*"),
            !id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 })
        else { return nil }
        return id
    }

    /// The rule that sets an attribute for a channel of `client`, if a select rule does.
    private static func coveringRule<Value>(_ client: String?, _ cover: AttributeCover<Value>) -> String? {
        if let client, cover.clients[client] != nil { return "select: { client_id: \(client) }" }
        return cover.all != nil ? "select: all" : nil
    }

    /// `+4915110000002, Acme GmbH`: the number and the client, for a reviewer.
    static func describe(_ channel: LiveChannel) -> String {
        [channel.phoneNumber.map { "+" + $0 }, channel.clientName ?? channel.clientID].compactMap { $0 }.joined(separator: ", ")
    }

    private static func uncoveredComment(_ webhooks: WebhookWants, channelCount: Int) -> [String] {
        var lines: [String] = []
        if !webhooks.webhookless.isEmpty {
            let count = webhooks.webhookless.count
            lines.append("No webhook on \(count) of \(channelCount) channels (below). A rule cannot say \"no webhook\", so no rule")
            lines.append("sets theirs, and the other webhooks are set per client or per channel, not by select: all:")
            lines += wrapped(webhooks.webhookless)
        }
        if !webhooks.unwritable.isEmpty {
            lines.append("Webhooks a config cannot hold, so no rule sets them (see their comments below); for the")
            lines.append("same reason the other webhooks are set per client or per channel, not by select: all:")
            lines += wrapped(webhooks.unwritable)
        }
        return lines
    }

    /// When `select: all` sets the webhook and the channels it must not cover are carved out.
    private static func carveOutComment(_ webhooks: WebhookWants, channelCount: Int) -> [String] {
        var parts: [String] = []
        if !webhooks.webhookless.isEmpty { parts.append("\(webhooks.webhookless.count) of \(channelCount) channels have no webhook") }
        if !webhooks.unwritable.isEmpty { parts.append("\(webhooks.unwritable.count) have one a config cannot hold") }
        return [
            parts.joined(separator: " and ") + " (a rule cannot say so), so each has webhook: unmanaged",
            "below, which takes it out of select: all:",
        ] + wrapped(webhooks.uncovered)
    }

    /// Ids, comma-separated, in lines of at most about 90 characters.
    static func wrapped(_ ids: [String]) -> [String] {
        var lines: [String] = []
        var line = ""
        for (index, id) in ids.enumerated() {
            let item = id + (index == ids.count - 1 ? "" : ",")
            if !line.isEmpty, line.count + 1 + item.count > 88 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "  " : " ") + item
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private static func partner(_ live: LivePartner, options: ExportOptions, warnings: inout [String]) -> ExportModel.Partner {
        var partner = ExportModel.Partner(id: live.id)
        for (wanted, field, value, webhookRules) in [
            (options.partnerWebhookURL, "webhook_url", live.webhookURL, true),
            (options.partnerRedirectURL, "redirect_url", live.redirectURL, false),
        ] where wanted {
            guard let value, !value.isEmpty else {
                partner.remarks.append("\(field) is not set, so it is not managed (a config cannot say \"not set\")")
                continue
            }
            if let reason = URLTemplating.unwritableReason(value, webhookRules: webhookRules) {
                partner.remarks.append("\(field) is not written: the URL \(reason)")
                warnings.append("partner \(field) is left out: the URL \(reason)")
            } else if field == "webhook_url" {
                partner.webhookURL = value
            } else {
                partner.redirectURL = value
            }
        }
        if options.partnerDefaultLocalStorage {
            if let code = live.defaultLocalStorage {
                if let region = Region(code: code) {
                    partner.defaultLocalStorage = .region(region)
                } else {
                    partner.remarks.append("default_local_storage \(code) is not a region a config can name, so it is not written")
                    warnings.append("partner default_local_storage \(code) is not a known region; left out")
                }
            } else {
                partner.defaultLocalStorage = .off
            }
        }
        return partner
    }
}
