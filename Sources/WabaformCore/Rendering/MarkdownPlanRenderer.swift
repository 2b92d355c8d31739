import PartnerAPIRules

/// The plan as a pull-request comment: a summary line, a table of changes, the full text
/// plan collapsed, all below `limit` characters (GitHub's comment limit is 65,536) with a
/// note when something had to be left out.
public struct MarkdownPlanRenderer: Sendable {
    public var limit: Int
    /// `plan` or `drift`: only the headings differ.
    public var purpose: PlanPurpose

    public init(limit: Int = 64_000, purpose: PlanPurpose = .plan) {
        self.limit = limit
        self.purpose = purpose
    }

    public func render(_ plan: Plan) -> String {
        var head = "### wabaform \(purpose.rawValue) for partner `\(Self.escape(plan.partnerID))`\n\n**\(purpose.summaryLine(of: plan))**"
        head += plan.changes.isEmpty ? (purpose == .drift ? " No drift.\n" : " No changes.\n") : "\n"
        if plan.changes.contains(where: \.disruptive) {
            head += "\n> **Warning:** \(plan.changes.filter(\.disruptive).count) disruptive change(s): apply needs `--allow-disruptive`.\n"
        }
        var tail = ""
        if !plan.unknowns.isEmpty {
            tail += "\n<details><summary>\(plan.unknowns.count) unknown (not read, so not changed)</summary>\n\n"
            for unknown in plan.unknowns { tail += "- `\(Self.escape(unknown.address))`: \(Self.escape(unknown.reason))\n" }
            tail += "\n</details>\n"
        }
        for warning in plan.warnings { tail += "\n> warning: \(Self.escape(warning))\n" }

        func row(for change: Change) -> String {
            let detail = ChangeLines.lines(for: change).map { "`\($0.symbol) \(Self.escape($0.text))`" }.joined(separator: "<br>")
            let disruptive = change.disruptive ? "disruptive" + (change.disruptionReason.map { " (\(Self.escape($0)))" } ?? "") : nil
            let flags = [disruptive, change.sensitive ? "sensitive" : nil].compactMap { $0 }
            return "| \(change.action.symbol) | `\(Self.escape(change.address))` | \(detail) | \(flags.joined(separator: ", ")) |\n"
        }
        func details() -> String {
            "\n<details><summary>Full \(purpose == .drift ? "report" : "plan")</summary>\n\n```text\n"
                + TextPlanRenderer(color: false, purpose: purpose).render(plan)
                .replacingOccurrences(of: "```", with: "'''") + "```\n\n</details>\n"
        }

        let tableHead = plan.changes.isEmpty ? "" : "\n| | address | change | flags |\n|---|---|---|---|\n"
        // Sizes in UTF-8 bytes, kept as running totals: String.count is linear, and a loop that
        // asked for it per row would be quadratic. Bytes are at least characters, so the
        // character limit holds too.
        var body = tableHead
        var bodySize = tableHead.utf8.count
        var shown = 0
        let budget = limit - head.utf8.count - tail.utf8.count - 400
        // Rows are built only until the budget is spent: a plan of 100,000 changes shows a few
        // hundred, and building the rest would be wasted work.
        for change in plan.changes {
            let line = row(for: change)
            let size = line.utf8.count
            if bodySize + size > budget { break }
            body += line
            bodySize += size
            shown += 1
        }
        var out = head + body
        if shown < plan.changes.count {
            out +=
                "\n_\(plan.changes.count - shown) more change(s) not shown: this comment is limited to \(limit) characters. "
                + (purpose == .drift
                    ? "Run `wabaform drift` for the full report._\n"
                    : "Run `wabaform plan` (or see the saved plan artifact) for the full plan._\n")
        } else {
            let full = details()
            if out.utf8.count + full.utf8.count + tail.utf8.count < limit { out += full }
        }
        return out + tail
    }

    /// Escapes what would break a table cell or inline code, and shows control,
    /// bidirectional and zero-width characters escaped.
    static func escape(_ text: String) -> String {
        TerminalText.escaped(text.replacingOccurrences(of: "\n", with: " ")).replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "`", with: "'")
    }
}
