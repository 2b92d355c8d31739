import PartnerAPIRules

/// A channel (phone number) as the Partner API shows it, in the terms wabaform uses.
///
/// Everything but `id` and `localStorage` is read from `fields` when asked for, so a channel
/// holds each value once (`LiveFields`: a fleet of 100,000 channels is kept whole while a plan
/// reads it).
public struct LiveChannel: Sendable, Equatable, Identifiable {
    public var id: String
    /// Local storage: `.known(nil)` = default storage (US), `.known("DE")` = that region,
    /// `.unknown` = the API did not say (see `APIAssumptions.channelLocalStorage`).
    public var localStorage: LiveValue<String?>
    /// Every dotted field path the channel object carries (`id`, `status`, `client.name`,
    /// `setup_info.phone_number`, …) to its value, for `select` matching. Absent fields are
    /// absent here too.
    public var fields: LiveFields

    /// A channel of these values (the fields are made from them).
    public init(
        id: String, clientID: String? = nil, status: String? = nil, availabilityStatus: String? = nil,
        accountMode: String? = nil, phoneNumber: String? = nil, phoneName: String? = nil, clientName: String? = nil,
        wabaID: String? = nil, localStorage: LiveValue<String?> = .unknown(reason: "not read")
    ) {
        var fields: [String: String] = ["id": id]
        fields["client_id"] = clientID
        fields["client.id"] = clientID
        fields["status"] = status
        fields["availability_status"] = availabilityStatus
        fields["account_mode"] = accountMode
        fields["setup_info.phone_number"] = phoneNumber
        fields["setup_info.phone_name"] = phoneName
        fields["client.name"] = clientName
        fields["waba_account.id"] = wabaID
        self.init(id: id, localStorage: localStorage, fields: LiveFields(fields))
    }

    /// A channel read from the API: its fields as they came (`fields["id"]` is `id`).
    init(id: String, localStorage: LiveValue<String?>, fields: LiveFields) {
        self.id = id
        self.localStorage = localStorage
        self.fields = fields
    }

    public var clientID: String? {
        get { fields["client_id"] ?? fields["client.id"] }
        set { fields = fields.setting("client_id", to: newValue).setting("client.id", to: newValue) }
    }

    public var status: String? {
        get { fields["status"] }
        set { fields = fields.setting("status", to: newValue) }
    }

    public var availabilityStatus: String? {
        get { fields["availability_status"] }
        set { fields = fields.setting("availability_status", to: newValue) }
    }

    public var accountMode: String? { fields["account_mode"] }
    /// Digits only, with the country code (`4915112345678`).
    public var phoneNumber: String? { fields["setup_info.phone_number"].map(PhoneNumber.normalized) }
    public var phoneName: String? { fields["setup_info.phone_name"] }
    public var clientName: String? { fields["client.name"] }
    public var wabaID: String? { fields["waba_account.id"] }
}
