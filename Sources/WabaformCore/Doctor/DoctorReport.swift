import WabaformConfig

/// What `wabaform doctor` found, for the command to render and turn into an exit code.
public struct DoctorReport: Sendable {
    /// Problems in the config named with -f (only `partner.id` is used).
    public var diagnostics: [Diagnostic] = []
    /// Problems before any request (no partner id, no credentials, a bad endpoint).
    public var errors: [ServiceError] = []
    /// The errors as printed: code points escaped (a doctor's text may quote anything).
    public var errorMessages: [String] { errors.map { DoctorText.safe($0.description) } }
    public var warnings: [String] = []
    public var partnerID: String?
    public var endpoints: Endpoints?
    /// Every check, connection checks first, then one per API assumption.
    public var checks: [DoctorCheck] = []
    /// Latency, statuses and throttling per API host.
    public var hosts: [DoctorHostStats] = []
    /// Requests sent, by HTTP method (every attempt, retries included).
    public var requestsByMethod: [String: Int] = [:]

    public init() {}

    /// The exit status (`ExitStatus`): 1 could not check, 2 an assumption did not hold, 0 all held.
    public var status: ExitStatus { ExitStatus(self) }

    public func count(_ status: DoctorCheck.Status) -> Int { checks.filter { $0.status == status }.count }
}
