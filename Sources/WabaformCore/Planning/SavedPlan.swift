import Foundation
import PartnerAPIRules

/// The file `plan --out FILE` writes and `apply FILE` reads (product spec, section 4): the
/// changes, each with a digest of the live value it was computed from and of the value it
/// sets, the endpoints, the partner id and a digest of the resolved config. It never holds a
/// secret — header values appear only inside digests keyed by the partner credential (see
/// `Digester`) — so `apply` re-reads the config to resolve them, and refuses when anything
/// moved. Format 2 (keyed digests); format 1 (salted SHA-256, guessable offline) is refused.
public struct SavedPlan: Codable, Sendable, Equatable {
    public static let currentFormat = "2"

    public var format: String
    public var wabaformVersion: String
    public var partnerID: String
    public var apiURL: String
    public var messagingURL: String
    public var salt: String
    public var configDigest: String
    public var configFiles: [String]
    public var changes: [SavedChange]
    public var unknown: [String]
    /// `--target` addresses the plan was made with (absent without targeting); `apply FILE`
    /// plans with the same ones.
    public var targets: [String]?

    enum CodingKeys: String, CodingKey {
        case format = "wabaform_saved_plan"
        case wabaformVersion = "wabaform_version"
        case partnerID = "partner_id"
        case apiURL = "api_url"
        case messagingURL = "messaging_url"
        case salt
        case configDigest = "config_digest"
        case configFiles = "config_files"
        case changes, unknown, targets
    }

    public init(
        plan: Plan, digester: Digester, configDigest: String, configFiles: [String], apiURL: String, messagingURL: String,
        wabaformVersion: String
    ) {
        self.format = Self.currentFormat
        self.wabaformVersion = wabaformVersion
        self.partnerID = plan.partnerID
        self.apiURL = apiURL
        self.messagingURL = messagingURL
        self.salt = digester.salt
        self.configDigest = configDigest
        self.configFiles = configFiles
        self.changes = plan.changes.map { SavedChange($0, digester: digester) }
        self.unknown = plan.unknowns.map(\.address)
    }

    /// Deterministic JSON (sorted keys), never holding a secret.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public static func decode(_ data: Data) throws -> SavedPlan { try JSONDecoder().decode(SavedPlan.self, from: data) }

    /// A saved plan holds digests, never secrets; should one ever slip in (an API message,
    /// say), it is cut out before the file is written.
    public static func redacted(_ encoded: Data) -> Data {
        let text = String(decoding: encoded, as: UTF8.self)
        let redacted = SecretRedactor.shared.redact(text)
        return redacted == text ? encoded : Data(redacted.utf8)
    }

    /// Why `path` could not be read as a saved plan, in words (not "NSCocoaErrorDomain
    /// error 256"), with what to do.
    public static func readProblem(_ path: String, error: any Error) -> String {
        let make = "make one with `wabaform plan --out FILE`"
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue { return "\(path) is a directory, not a saved plan; \(make)" }
        if !exists { return "no saved plan at \(path) (no such file); \(make)" }
        if !FileManager.default.isReadableFile(atPath: path) { return "cannot read the saved plan \(path): permission denied" }
        if error is DecodingError { return "\(path) is not a saved plan wabaform can read (not its JSON, or damaged); \(make)" }
        return "cannot read the saved plan \(path); \(make)"
    }
}

public struct SavedChange: Codable, Sendable, Equatable {
    public var address: String
    public var action: Change.Action
    /// What a reviewer saw: the rendered lines of the change (no secret values).
    public var summary: [String]
    public var disruptive: Bool
    /// Digest of the live value the change was computed from.
    public var liveDigest: String
    /// Digest of the value the change sets.
    public var desiredDigest: String

    enum CodingKeys: String, CodingKey {
        case address, action, summary, disruptive
        case liveDigest = "live_digest"
        case desiredDigest = "desired_digest"
    }

    public init(_ change: Change, digester: Digester) {
        self.address = change.address
        self.action = change.action
        self.summary = ChangeLines.lines(for: change).map { "\($0.symbol) \($0.text)" }
        self.disruptive = change.disruptive
        self.liveDigest = digester.digest(change.before)
        self.desiredDigest = digester.digest(change.after)
    }
}
