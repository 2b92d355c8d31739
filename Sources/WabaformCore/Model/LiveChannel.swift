/// A channel (phone number) as the Partner API shows it, in the terms wabaform uses.
public struct LiveChannel: Sendable, Equatable, Identifiable {
    public var id: String
    public var clientID: String?
    public var status: String?
    public var availabilityStatus: String?
    public var accountMode: String?
    /// Digits only, with the country code (`4915112345678`).
    public var phoneNumber: String?
    public var phoneName: String?
    public var clientName: String?
    public var wabaID: String?
    /// Local storage: `.known(nil)` = default storage (US), `.known("DE")` = that region,
    /// `.unknown` = the API did not say (see `APIAssumptions.channelLocalStorage`).
    public var localStorage: LiveValue<String?>
    /// Every dotted field path the channel object carries (`id`, `status`, `client.name`,
    /// `setup_info.phone_number`, …) to its value, for `select` matching. Absent fields are
    /// absent here too.
    public var fields: [String: String]

    public init(
        id: String, clientID: String? = nil, status: String? = nil, availabilityStatus: String? = nil,
        accountMode: String? = nil, phoneNumber: String? = nil, phoneName: String? = nil, clientName: String? = nil,
        wabaID: String? = nil, localStorage: LiveValue<String?> = .unknown(reason: "not read"), fields: [String: String]? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.status = status
        self.availabilityStatus = availabilityStatus
        self.accountMode = accountMode
        self.phoneNumber = phoneNumber
        self.phoneName = phoneName
        self.clientName = clientName
        self.wabaID = wabaID
        self.localStorage = localStorage
        // Built only when no fields are given: a channel read from the API brings its own
        // (this ran for every channel of every page).
        guard let fields else {
            var derived: [String: String] = ["id": id]
            derived["client_id"] = clientID
            derived["client.id"] = clientID
            derived["status"] = status
            derived["availability_status"] = availabilityStatus
            derived["account_mode"] = accountMode
            derived["setup_info.phone_number"] = phoneNumber
            derived["setup_info.phone_name"] = phoneName
            derived["client.name"] = clientName
            derived["waba_account.id"] = wabaID
            self.fields = derived
            return
        }
        self.fields = fields
    }
}
