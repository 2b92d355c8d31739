import Foundation
import PartnerAPIRules
import Yams

/// The YAML file that describes a new sandbox's partner, clients and channels
/// (documented in docs/sandbox.md). Seeds apply only when the state file is new.
public struct SandboxSeed: Codable, Sendable {
    public struct Partner: Codable, Sendable {
        var id: String
        var brandName: String?
        var country: String?
        var apiKey: String?
        var username: String?
        var password: String?
        var webhookURL: String?
        var redirectURL: String?
        var defaultLocalStorage: String?

        enum CodingKeys: String, CodingKey {
            case id, country, username, password
            case brandName = "brand_name"
            case apiKey = "api_key"
            case webhookURL = "webhook_url"
            case redirectURL = "partner_redirect_url"
            case defaultLocalStorage = "default_local_storage"
        }
    }

    public struct Client: Codable, Sendable {
        var id: String
        var name: String
    }

    public struct WABA: Codable, Sendable {
        var id: String
        var externalID: String?
        var name: String?
        enum CodingKeys: String, CodingKey {
            case id, name
            case externalID = "external_id"
        }
    }

    public struct Channel: Codable, Sendable {
        var id: String
        var client: String
        var phoneNumber: String
        var phoneName: String?
        var status: String?
        var accountMode: String?
        var availabilityStatus: String?
        var waba: WABA?
        var localStorage: String?
        var webhook: WebhookRecord?
        var apiKey: String?
        /// false: the channel has a key, but the sandbox leaves it out of the keys file it
        /// writes, as when a client has not shared its key with the partner.
        var publishKey: Bool?
        var createdAt: String?

        enum CodingKeys: String, CodingKey {
            case id, client, status, waba, webhook
            case phoneNumber = "phone_number"
            case phoneName = "phone_name"
            case accountMode = "account_mode"
            case availabilityStatus = "availability_status"
            case localStorage = "local_storage"
            case apiKey = "api_key"
            case publishKey = "publish_key"
            case createdAt = "created_at"
        }
    }

    public var partner: Partner
    public var clients: [Client]
    public var channels: [Channel]

    public enum SeedError: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let message): "invalid sandbox seed: \(message)"
            }
        }
    }

    /// Reads a seed file.
    public static func load(path: String) throws -> SandboxSeed {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SeedError.invalid("cannot read \(path): \(error.localizedDescription)")
        }
        do { return try YAMLDecoder().decode(SandboxSeed.self, from: text) } catch {
            throw SeedError.invalid("\(path): \(error)")
        }
    }

    /// The initial state this seed describes, plus `fleet` synthetic channels.
    public func makeState(fleet: Int = 0) throws -> SandboxState {
        let clientNames = Dictionary(clients.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var records: [ChannelRecord] = []
        var seen: Set<String> = []
        for (index, channel) in channels.enumerated() {
            guard seen.insert(channel.id).inserted else { throw SeedError.invalid("channel \(channel.id) appears twice") }
            guard let clientName = clientNames[channel.client] else {
                throw SeedError.invalid("channel \(channel.id) names client \(channel.client), which is not under clients")
            }
            if let region = channel.localStorage, Region(code: region) == nil {
                throw SeedError.invalid("channel \(channel.id): unknown local_storage region \(region)")
            }
            let waba = channel.waba ?? WABA(id: channel.client.replacingOccurrences(of: "CL", with: "") + "WA")
            let created = channel.createdAt ?? SandboxFleet.timestamp(minutes: index)
            records.append(
                ChannelRecord(
                    id: channel.id, clientID: channel.client, clientName: clientName,
                    status: channel.status ?? "ready", accountMode: channel.accountMode ?? "live",
                    availabilityStatus: channel.availabilityStatus ?? "ready",
                    createdAt: created, modifiedAt: created,
                    phoneNumber: PhoneNumber.normalized(channel.phoneNumber),
                    phoneName: channel.phoneName ?? clientName,
                    wabaID: waba.id, wabaExternalID: waba.externalID ?? SandboxFleet.externalID(waba.id),
                    wabaName: waba.name ?? clientName,
                    projectID: channel.client.replacingOccurrences(of: "CL", with: "PR"), projectName: clientName,
                    localStorage: channel.localStorage.map { $0.uppercased() }, webhook: channel.webhook,
                    apiKey: channel.apiKey ?? SandboxKeys.channelKey(channelID: channel.id),
                    keyPublished: channel.publishKey
                ))
        }
        records += SandboxFleet.channels(count: fleet)
        let partnerRecord = PartnerRecord(
            id: partner.id, brandName: partner.brandName ?? partner.id, country: partner.country ?? "DE",
            apiKey: partner.apiKey ?? SandboxKeys.partnerKey(partnerID: partner.id),
            username: partner.username ?? "partner@\(partner.id.lowercased()).example",
            password: partner.password ?? SandboxKeys.derived("password:\(partner.id)"),
            webhookURL: partner.webhookURL, redirectURL: partner.redirectURL,
            defaultLocalStorage: partner.defaultLocalStorage?.uppercased()
        )
        return SandboxState(partner: partnerRecord, channels: records)
    }
}
