/// One thing `wabaform doctor` checked: whether it held, what was seen, and what wabaform
/// does because of it.
public struct DoctorCheck: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable, CaseIterable {
        case held
        case didNotHold = "did_not_hold"
        case couldNotCheck = "could_not_check"

        /// As printed in text output.
        public var label: String {
            switch self {
            case .held: "held"
            case .didNotHold: "did not hold"
            case .couldNotCheck: "could not check"
            }
        }
    }

    /// A stable name (`channel-storage-field`): docs/api-assumptions.md and docs/doctor.md use it.
    public var name: String
    /// What is checked, in words.
    public var title: String
    /// The `APIAssumptions` member this check tests, when it tests one.
    public var assumption: String?
    public var status: Status
    /// What was seen: fields, statuses, counts. Never a secret; API text already escaped.
    public var evidence: [String]
    /// What wabaform does because of the outcome.
    public var consequence: String
    /// The doctor could not do its job (credentials refused, a host unreachable): exit 1.
    public var stopsDoctor: Bool

    public init(
        name: String, title: String, assumption: String? = nil, status: Status, evidence: [String], consequence: String,
        stopsDoctor: Bool = false
    ) {
        self.name = name
        self.title = title
        self.assumption = assumption
        self.status = status
        self.evidence = evidence
        self.consequence = consequence
        self.stopsDoctor = stopsDoctor
    }
}
