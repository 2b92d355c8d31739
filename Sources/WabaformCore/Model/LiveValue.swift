/// A value read from the live API, or the fact that it could not be read.
///
/// `unknown` is never a guess: the planner reports it as unknown and never "fixes" it.
/// With an optional `Value`, `.known(nil)` is a value (e.g. default storage), distinct from
/// `.unknown` (e.g. the API did not send the field).
public enum LiveValue<Value> {
    case known(Value)
    /// Could not be read; `reason` says why, for the plan.
    case unknown(reason: String)

    /// The value when known.
    public var knownValue: Value? {
        if case .known(let value) = self { return value }
        return nil
    }

    public var isKnown: Bool {
        if case .known = self { return true }
        return false
    }
}

extension LiveValue: Sendable where Value: Sendable {}
extension LiveValue: Equatable where Value: Equatable {}
extension LiveValue: Hashable where Value: Hashable {}
