import PartnerAPIRules

/// The plan as people read it in a terminal: grouped by resource, one line per attribute,
/// a closing summary line. Colour only when asked (the CLI decides: a TTY, no `NO_COLOR`,
/// not `--color never`).
public struct TextPlanRenderer: Sendable {
    public var color: Bool
    /// `plan` or `drift`: only the headings differ.
    public var purpose: PlanPurpose

    public init(color: Bool = false, purpose: PlanPurpose = .plan) {
        self.color = color
        self.purpose = purpose
    }

    public func render(_ plan: Plan) -> String {
        ChunkedOutput.collect { render(plan, to: $0) }
    }

    /// Writes the plan to `output` as it renders it: a chunk at a time, each ending after a
    /// change's last line, never the whole plan at once.
    public func render(_ plan: Plan, to output: ChunkedOutput) {
        var out = output.makeBuffer()
        if plan.changes.isEmpty {
            out += purpose == .drift ? "No drift: live state matches the configuration" : "No changes: live state matches the configuration"
            out += plan.unknowns.isEmpty ? ".\n" : ", except what could not be read (below).\n"
        } else {
            out +=
                purpose == .drift
                ? "Drift: live state differs from the configuration; apply would make these changes:\n"
                : "wabaform will make these changes:\n"
            var current: Resource?
            for change in plan.changes {
                if change.resource != current {
                    out += "\n" + paint(change.resource.title, .bold) + "\n"
                    current = change.resource
                }
                for (index, line) in ChangeLines.lines(for: change).enumerated() {
                    out += "  " + paint(line.symbol, style(for: line.symbol)) + " " + line.text
                    if change.disruptive, index == 0 {
                        out += paint("  (disruptive: \(TerminalText.escaped(change.disruptionReason ?? "may interrupt the number")))", .red)
                    }
                    out += "\n"
                }
                output.checkpoint(&out)
            }
        }
        if !plan.unknowns.isEmpty {
            out += "\nUnknown (not read, so not changed):\n"
            for unknown in plan.unknowns {
                out += "  " + paint("?", .yellow) + " \(TerminalText.escaped(unknown.address)): \(TerminalText.escaped(unknown.reason))\n"
                output.checkpoint(&out)
            }
        }
        out += "\n" + paint(purpose.summaryLine(of: plan), .bold) + "\n"
        output.finish(&out)
    }

    enum Style: String {
        case bold = "1", red = "31", green = "32", yellow = "33", magenta = "35"
    }

    func style(for symbol: String) -> Style {
        switch symbol {
        case "+": .green
        case "-": .red
        case "-/+": .magenta
        default: .yellow
        }
    }

    func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
