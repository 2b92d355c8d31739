/// What `plan` found: the changes that would make live state match the config, the
/// attributes whose live value could not be read, and how many managed attributes already
/// match. Pure data: the planner makes it, renderers print it, the applier executes it.
public struct Plan: Sendable, Equatable {
    public var partnerID: String
    /// The partner's changes first, then channels by id; within a resource by attribute.
    public var changes: [Change]
    /// Managed attributes whose live value is unknown (no key, field missing): never changed.
    public var unknowns: [Unknown]
    /// Managed attributes that already match.
    public var unchangedCount: Int
    /// Things worth saying that do not stop the plan (e.g. a select that matched nothing).
    public var warnings: [String]

    public init(partnerID: String, changes: [Change], unknowns: [Unknown] = [], unchangedCount: Int = 0, warnings: [String] = []) {
        self.partnerID = partnerID
        // Sort keys built once per element, not per comparison (addresses are computed strings).
        self.changes = changes.map { (Self.order($0.resource, $0.address), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        self.unknowns = unknowns.map { (Self.order($0.resource, $0.address), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        self.unchangedCount = unchangedCount
        self.warnings = warnings
    }

    static func order(_ resource: Resource, _ address: String) -> (Int, String) {
        if case .partner = resource { return (0, address) }
        return (1, address)
    }

    public var isEmpty: Bool { changes.isEmpty }

    public func count(_ action: Change.Action) -> Int { changes.filter { $0.action == action }.count }

    /// `Plan: 1 to create, 3 to update, 0 to delete, 1 to replace; 2 unknown.`
    public var summaryLine: String {
        "Plan: \(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete, "
            + "\(count(.replace)) to replace; \(unknowns.count) unknown."
    }
}

/// A managed attribute whose live value could not be read.
public struct Unknown: Sendable, Equatable {
    public var address: String
    public var resource: Resource
    public var reason: String
}
