import PartnerAPIRules

/// What a change applies to: the partner, or one channel (with what a reviewer needs to
/// recognise it).
public enum Resource: Sendable, Hashable, Comparable {
    case partner(id: String)
    case channel(ChannelIdentity)
    /// A WABA, for its WABA-wide webhook.
    case waba(WABAIdentity)

    /// The address prefix: `partner`, `channel.<id>` or `waba.<id>`.
    public var address: String {
        switch self {
        case .partner: "partner"
        case .channel(let identity): "channel.\(identity.id)"
        case .waba(let identity): "waba.\(identity.id)"
        }
    }

    /// `partner demoPA`, `channel acme02CH (+4915110000002, Acme GmbH)`. The parts come from
    /// the API, so they are shown escaped: a client name cannot start a new line or hide one.
    public var title: String { TerminalText.escaped(rawTitle) }

    var rawTitle: String {
        switch self {
        case .partner(let id): "partner \(id)"
        case .channel(let identity):
            identity.phoneNumber.isEmpty && identity.clientName.isEmpty
                ? "channel \(identity.id)"
                : "channel \(identity.id) (+\(identity.phoneNumber), \(identity.clientName))"
        case .waba(let identity):
            identity.name.isEmpty ? "waba \(identity.id)" : "waba \(identity.id) (\(identity.name))"
        }
    }

    public static func < (a: Resource, b: Resource) -> Bool { a.address < b.address }
}

/// A channel as a reviewer recognises it, and what apply needs to address it.
public struct ChannelIdentity: Sendable, Hashable {
    public var id: String
    public var clientID: String
    public var phoneNumber: String
    public var clientName: String
    public var status: String
}

/// A WABA as a reviewer recognises it, and the channel whose key apply writes its webhook with.
public struct WABAIdentity: Sendable, Hashable {
    public var id: String
    public var externalID: String
    public var name: String
    /// The channel whose key read the webhook; apply writes with the same key.
    public var keyChannelID: String

    public init(id: String, externalID: String, name: String, keyChannelID: String) {
        self.id = id
        self.externalID = externalID
        self.name = name
        self.keyChannelID = keyChannelID
    }
}
