/// Everything the sandbox knows: one partner, its channels, their keys and webhooks.
/// A plain value; `SandboxStore` owns the one live copy.
public struct SandboxState: Codable, Sendable, Equatable {
    public var partner: PartnerRecord
    /// Channels by id.
    public var channels: [String: ChannelRecord]
    /// WABA-wide webhooks by WABA id.
    public var wabaWebhooks: [String: WebhookRecord]
    /// Counter that makes minted keys unique.
    public var keySerial: Int

    public init(partner: PartnerRecord, channels: [ChannelRecord], wabaWebhooks: [String: WebhookRecord] = [:], keySerial: Int = 0) {
        self.partner = partner
        self.channels = Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.wabaWebhooks = wabaWebhooks
        self.keySerial = keySerial
    }

    enum CodingKeys: String, CodingKey {
        case partner, channels
        case wabaWebhooks = "waba_webhooks"
        case keySerial = "key_serial"
    }

    /// The channel whose current key is `key`, if any.
    func channel(withKey key: String) -> ChannelRecord? {
        channels.values.first { $0.apiKey == key }
    }
}

/// The partner and its credentials.
public struct PartnerRecord: Codable, Sendable, Equatable {
    public var id: String
    public var brandName: String
    public var country: String
    public var apiKey: String
    public var username: String
    public var password: String
    public var webhookURL: String?
    public var redirectURL: String?
    public var defaultLocalStorage: String?

    public init(
        id: String, brandName: String, country: String = "DE", apiKey: String, username: String,
        password: String, webhookURL: String? = nil, redirectURL: String? = nil, defaultLocalStorage: String? = nil
    ) {
        self.id = id
        self.brandName = brandName
        self.country = country
        self.apiKey = apiKey
        self.username = username
        self.password = password
        self.webhookURL = webhookURL
        self.redirectURL = redirectURL
        self.defaultLocalStorage = defaultLocalStorage
    }

    enum CodingKeys: String, CodingKey {
        case id, country, username, password
        case brandName = "brand_name"
        case apiKey = "api_key"
        case webhookURL = "webhook_url"
        case redirectURL = "partner_redirect_url"
        case defaultLocalStorage = "default_data_localization_region"
    }
}

/// A channel (phone number) with its key, webhook and local storage region.
public struct ChannelRecord: Codable, Sendable, Equatable {
    public var id: String
    public var clientID: String
    public var clientName: String
    public var status: String
    public var accountMode: String
    public var availabilityStatus: String
    public var createdAt: String
    public var modifiedAt: String
    public var phoneNumber: String
    public var phoneName: String
    public var wabaID: String
    public var wabaExternalID: String
    public var wabaName: String
    public var projectID: String
    public var projectName: String
    /// Local storage region; nil = default storage (US).
    public var localStorage: String?
    public var webhook: WebhookRecord?
    /// The channel's current D360-API-KEY; minting a new one replaces it.
    public var apiKey: String
    /// false: the sandbox leaves this key out of the keys file it writes, as when a client
    /// has not shared its key with the partner. nil means true.
    public var keyPublished: Bool?

    enum CodingKeys: String, CodingKey {
        case id, status, webhook
        case clientID = "client_id"
        case clientName = "client_name"
        case accountMode = "account_mode"
        case availabilityStatus = "availability_status"
        case createdAt = "created_at"
        case modifiedAt = "modified_at"
        case phoneNumber = "phone_number"
        case phoneName = "phone_name"
        case wabaID = "waba_id"
        case wabaExternalID = "waba_external_id"
        case wabaName = "waba_name"
        case projectID = "project_id"
        case projectName = "project_name"
        case localStorage = "local_storage"
        case apiKey = "api_key"
        case keyPublished = "key_published"
    }

    /// The value of a dotted field path as the channel object shows it, for `filters`
    /// and `sort`; nil for an unknown path.
    func value(at path: String) -> String? {
        switch path {
        case "id": id
        case "client_id", "client.id": clientID
        case "client.name": clientName
        case "status": status
        case "account_mode": accountMode
        case "availability_status": availabilityStatus
        case "created_at": createdAt
        case "modified_at": modifiedAt
        case "setup_info.phone_number": phoneNumber
        case "setup_info.phone_name": phoneName
        case "waba_account.id": wabaID
        case "waba_account.external_id": wabaExternalID
        case "waba_account.name": wabaName
        case "project.id": projectID
        case "project.name": projectName
        case "data_localization_region": localStorage ?? ""
        default: nil
        }
    }
}

/// A webhook URL with optional headers (sent with every delivery).
public struct WebhookRecord: Codable, Sendable, Equatable {
    public var url: String
    public var headers: [String: String]?
    public var overrideAll: Bool?

    public init(url: String, headers: [String: String]? = nil, overrideAll: Bool? = nil) {
        self.url = url
        self.headers = headers
        self.overrideAll = overrideAll
    }

    enum CodingKeys: String, CodingKey {
        case url, headers
        case overrideAll = "override_all"
    }
}
