import WabaformConfig

/// The exit codes of the contract (README "Exit codes"), and the one place each command's
/// outcome is turned into one. Scripts and pipelines branch on these numbers.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done: valid, nothing pending, everything applied, every assumption held.
    case success = 0
    /// An error: bad config or usage, a read or check that could not be made. Apply: stopped
    /// before any write.
    case failure = 1
    /// Something differs: changes pending (`plan --detailed-exitcode`, `drift`), or an API
    /// assumption that did not hold on this account (`doctor`; wabaform adapts).
    case differs = 2
    /// Apply wrote some changes and not others (the ledger says which).
    case partial = 3
    /// Apply refused before any write: a disruptive change without consent, a stale saved plan.
    case blocked = 4

    /// `validate`: 0 valid (warnings allowed unless `--strict`), 1 not.
    public init(_ outcome: ValidationOutcome) {
        self = outcome.valid ? .success : .failure
    }

    /// `plan` and `drift`: 1 when the plan could not be made; with `detailed` (always for
    /// drift), 2 when it has changes.
    public init(_ report: PlanService.Report, detailed: Bool) {
        if report.failed {
            self = .failure
        } else if detailed, let plan = report.plan, !plan.isEmpty {
            self = .differs
        } else {
            self = .success
        }
    }

    /// `apply`: 1 error before any write, 4 blocked, 3 partial, 0 done.
    public init(_ report: ApplyService.Report) {
        if report.plan.failed {
            self = .failure
        } else if !report.blocked.isEmpty {
            self = .blocked
        } else if let ledger = report.ledger, !ledger.succeeded {
            self = .partial
        } else {
            self = .success
        }
    }

    /// `doctor`: 1 when it could not check (an error before any request, credentials refused,
    /// a host unreachable), else 2 when an assumption did not hold, else 0.
    public init(_ report: DoctorReport) {
        if !report.errors.isEmpty || report.diagnostics.contains(where: \.isError) || report.checks.isEmpty {
            self = .failure
        } else if report.checks.contains(where: \.stopsDoctor) {
            self = .failure
        } else if report.checks.contains(where: { $0.status == .didNotHold }) {
            self = .differs
        } else {
            self = .success
        }
    }
}
