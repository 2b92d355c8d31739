/// What a rendered plan is for: `wabaform plan` (changes to make) or `wabaform drift` (how live
/// state differs from the config). The changes are the same; the headings say which it is.
public enum PlanPurpose: String, Sendable, Hashable {
    case plan
    case drift

    /// `Plan: 1 to create, …` or `Drift: 1 to create, …`.
    public func summaryLine(of plan: Plan) -> String {
        switch self {
        case .plan: plan.summaryLine
        case .drift: "Drift: " + plan.summaryLine.dropFirst("Plan: ".count)
        }
    }
}
