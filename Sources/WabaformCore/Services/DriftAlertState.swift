import Foundation

/// `drift --notify URL --notify-state FILE`: which drift was last reported, so a scheduled
/// check posts one message per distinct drift and one when it clears, not one every run.
///
/// The file holds no secret: the drift is kept only as a salted SHA-256 digest of the
/// planned changes (addresses, actions, before and after values; header values included,
/// so a changed secret is a new drift). The salt is random per file. Written atomically
/// (temporary file, then rename) with mode 0600.
public struct DriftAlertState: Sendable, Equatable, Codable {
    public var formatVersion = "1"
    public var partnerID: String
    public var salt: String
    /// The digest of the drift last reported; nil after a "resolved" message (in sync).
    public var reportedDrift: String?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", partnerID = "partner_id", salt, reportedDrift = "reported_drift"
    }

    public init(partnerID: String, salt: String, reportedDrift: String?) {
        self.partnerID = partnerID
        self.salt = salt
        self.reportedDrift = reportedDrift
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// What a drift run should post, given the state of the last one.
    public enum Decision: Sendable, Equatable {
        /// New or different drift: post it, then remember `state`.
        case reportDrift(DriftAlertState)
        /// The drift reported last time is gone: post "resolved", then remember `state`.
        case reportResolved(DriftAlertState)
        /// The same drift as reported last time: post nothing.
        case alreadyReported
        /// In sync, and nothing was reported: post nothing.
        case nothingToReport
    }

    /// `previous` from another partner (or none) counts as "nothing reported yet".
    public static func decide(previous: DriftAlertState?, plan: Plan) -> Decision {
        let previous = previous?.partnerID == plan.partnerID ? previous : nil
        let salt = previous?.salt ?? Digester.random().salt
        if plan.changes.isEmpty {
            guard previous?.reportedDrift != nil else { return .nothingToReport }
            return .reportResolved(DriftAlertState(partnerID: plan.partnerID, salt: salt, reportedDrift: nil))
        }
        let fingerprint = Self.fingerprint(plan, salt: salt)
        if previous?.reportedDrift == fingerprint { return .alreadyReported }
        return .reportDrift(DriftAlertState(partnerID: plan.partnerID, salt: salt, reportedDrift: fingerprint))
    }

    /// The digest of a plan's changes: the same drift gives the same digest in any order.
    public static func fingerprint(_ plan: Plan, salt: String) -> String {
        let canonical = plan.changes.map { change in
            [change.address, change.action.rawValue, Digester.canonical(change.before), Digester.canonical(change.after)]
                .joined(separator: "\u{1F}")
        }.sorted().joined(separator: "\u{1E}")
        return Digester(salt: salt).digest("partner:" + plan.partnerID + "\u{1E}" + canonical)
    }

    // MARK: The file

    /// nil when the file does not exist yet.
    public static func load(path: String) throws(Failure) -> DriftAlertState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let state = try JSONDecoder().decode(DriftAlertState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            guard state.formatVersion == "1" else {
                throw Failure(description: "--notify-state \(path) has format_version \(state.formatVersion); this wabaform reads 1")
            }
            return state
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "--notify-state \(path) is not a wabaform drift state file (\(type(of: error)))")
        }
    }

    /// Writes the state to a temporary file (mode 0600) next to `path`, then renames it.
    public func save(path: String) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            let data = try encoder.encode(self) + Data("\n".utf8)
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw Failure(description: "cannot write --notify-state \(path): cannot create \(temporary)")
            }
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: temporary)
                throw Failure(description: "cannot write --notify-state \(path): \(reason)")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "cannot write --notify-state \(path): \(error)")
        }
    }
}
