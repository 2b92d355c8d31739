import PartnerAPIRules

/// What each channel's webhook asks of the rules, and the header variables.
struct WebhookWants {
    var wants: [String: AttributeCover<ExportModel.Webhook>.Want] = [:]
    var variables: [HeaderVariable] = []
    /// The live URL and header variables of each channel with a writable webhook.
    var live: [String: (url: String, headers: [ExportModel.Webhook.Header])] = [:]
    /// Channels whose webhook was not read, with the reason.
    var unread: [String: String] = [:]
    /// Channels with no webhook, and with one a config cannot hold; sorted.
    var webhookless: [String] = []
    var unwritable: [String] = []
    var uncovered: [String] { (webhookless + unwritable).sorted() }

    init(channels: [LiveChannel], snapshot: LiveSnapshot, remarks: inout [String: [String]], warnings: inout [String]) {
        var writable: [String: LiveWebhook] = [:]
        for channel in channels {
            switch snapshot.webhooks[channel.id] ?? .unknown(reason: "not read") {
            case .unknown(let reason):
                wants[channel.id] = .either
                unread[channel.id] = reason
                warnings.append("channel \(channel.id): webhook not read (\(reason)); left out")
            case .known(nil):
                wants[channel.id] = .uncovered
                webhookless.append(channel.id)
            case .known(let webhook?):
                if let reason = Self.unwritableReason(webhook) {
                    wants[channel.id] = .uncovered
                    unwritable.append(channel.id)
                    remarks[channel.id, default: []].append("webhook not written: \(reason)")
                    warnings.append("channel \(channel.id): webhook left out: \(reason)")
                } else {
                    writable[channel.id] = webhook
                }
            }
        }
        let (variables, names) = HeaderVariableNaming.assign(writable.mapValues(\.headers))
        self.variables = variables
        let spelling = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.header) })
        for channel in channels {
            guard let webhook = writable[channel.id] else { continue }
            let headers = webhook.headers.map { name, value in
                let variable = names[HeaderVariableNaming.Key(name: name.lowercased(), value: value)]!
                return ExportModel.Webhook.Header(name: spelling[variable]!, variable: variable)
            }.sorted { $0.name.lowercased() < $1.name.lowercased() }
            live[channel.id] = (webhook.url, headers)
            wants[channel.id] = .value(
                URLTemplating.candidates(url: webhook.url, channel: channel).map {
                    ExportModel.Webhook(url: $0, headers: headers)
                })
        }
    }

    func fits(_ webhook: ExportModel.Webhook, _ channel: LiveChannel) -> Bool {
        guard let live = live[channel.id] else { return false }
        return webhook.headers == live.headers && URLTemplating.fill(webhook.url, for: channel) == live.url
    }

    /// Why a live webhook cannot be written as a config rule, or nil.
    static func unwritableReason(_ webhook: LiveWebhook) -> String? {
        if let reason = URLTemplating.unwritableReason(webhook.url) { return "its URL \(reason)" }
        var seen: Set<String> = []
        for (name, value) in webhook.headers.sorted(by: { $0.key < $1.key }) {
            if !HeaderRule.isValidName(name) {
                return "header name \"\(name)\" is not a valid HTTP header name"
            }
            if !seen.insert(name.lowercased()).inserted {
                return "header \(name) is set twice with different case"
            }
            if value.revealed.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) {
                return "the value of header \(name) contains a line break"
            }
        }
        return nil
    }
}
