import PartnerAPIRules

/// What apply did with each planned change.
public struct ApplyLedger: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        /// Written and verified by reading it back (or, with a reason, found already done when
        /// re-read just before writing).
        case applied
        /// The write failed, or the value read back is not the one written.
        case failed
        /// Not attempted: the run was cancelled first, or the attribute's live value could not
        /// be read, so it was not planned this run.
        case skipped
    }

    public struct Entry: Sendable, Equatable {
        public var address: String
        /// nil for an attribute that was not planned (its live value could not be read).
        public var action: Change.Action?
        public var outcome: Outcome
        /// Why it failed or was skipped.
        public var reason: String?
    }

    /// In plan order.
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public func count(_ outcome: Outcome) -> Int { entries.filter { $0.outcome == outcome }.count }

    public var succeeded: Bool { entries.allSatisfy { $0.outcome == .applied } }

    public var summaryLine: String {
        "Apply: \(count(.applied)) applied, \(count(.failed)) failed, \(count(.skipped)) skipped."
    }

    /// One line per entry. Addresses and reasons (API messages) are shown escaped and
    /// without any known secret.
    public func renderText() -> String {
        var out = ""
        for var entry in entries {
            let action = entry.action?.rawValue ?? "not planned"
            entry.address = TerminalText.escaped(entry.address)
            entry.reason = entry.reason.map { TerminalText.escaped(SecretRedactor.shared.redact($0)) }
            switch entry.outcome {
            case .applied: out += "  applied  \(entry.address) (\(action))" + (entry.reason.map { ": \($0)" } ?? "") + "\n"
            case .failed: out += "  FAILED   \(entry.address) (\(action)): \(entry.reason ?? "")\n"
            case .skipped: out += "  skipped  \(entry.address) (\(action)): \(entry.reason ?? "")\n"
            }
        }
        out += summaryLine + "\n"
        if count(.failed) + count(.skipped) > 0 { out += "Run apply again to retry what did not apply: every write is idempotent.\n" }
        return out
    }

    public func renderJSON() -> String {
        JSONValue.object([
            "format_version": .string("1"),
            "summary": .object(["applied": .int(count(.applied)), "failed": .int(count(.failed)), "skipped": .int(count(.skipped))]),
            "changes": .array(
                entries.map { entry in
                    var row: [String: JSONValue] = ["address": .string(entry.address), "outcome": .string(entry.outcome.rawValue)]
                    if let action = entry.action { row["action"] = .string(action.rawValue) }
                    if let reason = entry.reason { row["reason"] = .string(SecretRedactor.shared.redact(reason)) }
                    return .object(row)
                }),
        ]).rendered()
    }
}
