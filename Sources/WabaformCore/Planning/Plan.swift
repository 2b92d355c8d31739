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
        self.changes = Self.sorted(changes) { Self.order($0.resource, $0.address) }
        self.unknowns = Self.sorted(unknowns) { Self.order($0.resource, $0.address) }
        self.unchangedCount = unchangedCount
        self.warnings = warnings
    }

    /// `elements` in the order of their keys, each key built once (addresses are computed
    /// strings), and the elements moved once: sorting them with their keys held two more
    /// copies of a 100,000-change plan at once.
    /// Elements already in order (as the planner makes a fleet's changes, channel by channel)
    /// are kept as they are: checked two keys at a time, not with all keys built at once
    /// (~5 MB at a 100,000-change plan's peak).
    static func sorted<Element>(_ elements: [Element], by key: (Element) -> (Int, String)) -> [Element] {
        var inOrder = true
        var previous = elements.first.map(key)
        for element in elements.dropFirst() {
            let next = key(element)
            if let last = previous, next < last {
                inOrder = false
                break
            }
            previous = next
        }
        if inOrder { return elements }
        let keys = elements.map(key)
        return keys.indices.sorted { keys[$0] < keys[$1] }.map { elements[$0] }
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
