import PartnerAPIRules

/// A JSON value of the sandbox's own answers: text, null, or an object whose members are
/// kept in key order.
enum WireValue: Sendable, Equatable {
    case text(String)
    case null
    case object([WireMember])

    /// The value as `OpenAPIObjectContainer` takes it.
    var untyped: (any Sendable)? {
        switch self {
        case .text(let text): text
        case .null: nil
        case .object(let members): Self.dictionary(members)
        }
    }

    /// An object's members as `OpenAPIObjectContainer` takes them.
    static func dictionary(_ members: [WireMember]) -> [String: (any Sendable)?] {
        Dictionary(members.map { ($0.key, $0.value.untyped) }, uniquingKeysWith: { first, _ in first })
    }
}

struct WireMember: Sendable, Equatable {
    var key: String
    var value: WireValue

    init(_ key: String, _ value: WireValue) {
        self.key = key
        self.value = value
    }

    init(_ key: String, _ text: String?) { self.init(key, text.map(WireValue.text) ?? .null) }
}

extension ChannelRecord {
    /// The channel object's members but `id` (the contract's one declared field), in key
    /// order: one definition for both ways the sandbox writes a channel page (the generated
    /// server's encoder, `HubHandlers.wire`, and `ChannelPageJSON`). With `storageField:
    /// false` (`SandboxVariant.noStorageField`) the region is left out entirely.
    func wireMembers(storageField: Bool) -> [WireMember] {
        var members: [WireMember] = [
            WireMember("account_mode", accountMode),
            WireMember("availability_status", availabilityStatus),
            WireMember("client", .object([WireMember("id", clientID), WireMember("name", clientName)])),
            WireMember("client_id", clientID),
            WireMember("created_at", createdAt),
        ]
        if storageField { members.append(WireMember("data_localization_region", localStorage)) }
        members += [
            WireMember("modified_at", modifiedAt),
            WireMember("project", .object([WireMember("id", projectID), WireMember("name", projectName)])),
            WireMember("setup_info", .object([WireMember("phone_name", phoneName), WireMember("phone_number", phoneNumber)])),
            WireMember("status", status),
            WireMember(
                "waba_account",
                .object([WireMember("external_id", wabaExternalID), WireMember("id", wabaID), WireMember("name", wabaName)])),
        ]
        return members
    }
}
