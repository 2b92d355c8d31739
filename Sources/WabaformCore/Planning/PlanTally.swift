import WabaformConfig

extension Planner {
    /// What planning adds up to, attribute by attribute: the changes, the values that could
    /// not be read, the rules' conflicts and misses, and how many managed values are already
    /// as desired.
    struct Tally {
        var changes: [Change] = []
        var unknowns: [Unknown] = []
        var diagnostics: [Diagnostic] = []
        var unchanged = 0

        /// The value the rules want, or nil when they leave the attribute alone or conflict
        /// (the conflict is kept as a diagnostic).
        mutating func desired<Value>(_ resolution: Resolution<Value>) -> Value? {
            switch resolution {
            case .unmanaged: return nil
            case .conflict(let diagnostic):
                diagnostics.append(diagnostic)
                return nil
            case .desired(let value): return value
            }
        }

        /// One managed attribute against its live value. A value that could not be read is
        /// reported as unknown and never planned over; a known one gives `change`'s change,
        /// or nil when it is already as desired.
        mutating func compare<Current>(
            _ live: LiveValue<Current>, address: String, resource: Resource, change: (Current) -> Change?
        ) {
            switch live {
            case .unknown(let reason): unknowns.append(Unknown(address: address, resource: resource, reason: reason))
            case .known(let current):
                if let made = change(current) { changes.append(made) } else { unchanged += 1 }
            }
        }
    }
}
