import WabaformConfig

/// Proves an export before anyone sees it: loads the text as `plan` would, with each header
/// variable set to its live value (in memory only), plans it against the state it was made
/// from, and lists anything that is not "no changes". Pure.
public enum ExportCheck {
    /// Empty when the export loads and plans to no changes; else what differs (addresses
    /// and messages, never a value of a header).
    /// Loads the parts as written (together, in name order, as `plan -f DIR` reads them);
    /// `partBytes`: the most a part may hold.
    public static func problems(_ result: Exporter.Result, snapshot: LiveSnapshot, partBytes: Int = ConfigLimits.maxFileBytes) -> [String] {
        let environment = Dictionary(uniqueKeysWithValues: result.model.variables.map { ($0.name, $0.value.revealed) })
        let oversized = result.parts.filter { result.parts.count > 1 && $0.text.utf8.count > partBytes }
        if !oversized.isEmpty { return oversized.map { "\($0.name) holds \($0.text.utf8.count) bytes, more than \(partBytes)" } }
        let sources = result.parts.sorted { ConfigLoader.readsBefore($0.name, $1.name) }.map {
            (path: $0.name, text: $0.text)
        }
        let loaded = ConfigLoader.load(sources: sources, environment: environment)
        let errors = loaded.diagnostics.filter(\.isError).map { "\($0.location): \($0.message)" }
        guard let config = loaded.config, errors.isEmpty else { return errors.isEmpty ? ["the export does not load"] : errors }
        let outcome = Planner.plan(config: config, partnerID: result.model.partner.id, live: snapshot)
        guard let plan = outcome.plan else {
            return outcome.diagnostics.filter(\.isError).map { "\($0.location): \($0.message)" }
        }
        return plan.changes.map { "\($0.address) would \($0.action)" }
    }
}
