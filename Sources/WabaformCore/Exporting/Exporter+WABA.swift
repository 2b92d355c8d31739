import PartnerAPIRules

/// WABA webhooks in an export: one `id` rule per WABA whose webhook is set, header values
/// as `${WABAFORM_WABA_HEADER_…}` variables. A WABA whose webhook could not be read, or
/// holds a URL a config cannot, is left out with a warning.
extension Exporter {
    static let wabaHeaderPrefix = "WABAFORM_WABA_HEADER_"

    static func addWABAs(_ snapshot: LiveSnapshot, to model: inout ExportModel) {
        var webhooks: [(LiveWABA, LiveWebhook)] = []
        for waba in snapshot.wabas {
            switch snapshot.wabaWebhooks[waba.id] {
            case .known(let webhook?)?:
                if let reason = URLTemplating.unwritableReason(webhook.url) {
                    model.warnings.append("waba \(waba.id): webhook is left out: the URL \(reason)")
                } else {
                    webhooks.append((waba, webhook))
                }
            case .known(nil)?:
                continue
            case .unknown(let reason)?:
                model.warnings.append("waba \(waba.id): webhook not read (\(reason)), so not written")
            case nil:
                continue
            }
        }
        guard !webhooks.isEmpty else { return }
        let (variables, names) = HeaderVariableNaming.assign(
            Dictionary(webhooks.map { ($0.0.id, $0.1.headers) }, uniquingKeysWith: { first, _ in first }),
            prefix: wabaHeaderPrefix, kind: "WABA")
        model.variables = (model.variables + variables).sorted { $0.name < $1.name }
        model.wabas = webhooks.map { waba, webhook in
            let headers = webhook.headers.map { name, value in
                ExportModel.Webhook.Header(
                    name: name, variable: names[HeaderVariableNaming.Key(name: name.lowercased(), value: value)]!)
            }.sorted { $0.name.lowercased() < $1.name.lowercased() }
            return ExportModel.WABA(id: waba.id, name: waba.name, webhook: ExportModel.Webhook(url: webhook.url, headers: headers))
        }
    }
}
