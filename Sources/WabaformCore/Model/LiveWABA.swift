/// A WABA (WhatsApp Business Account) as the channel list shows it: each channel's
/// `waba_account` (`id`, `external_id`, `name`). There is no WABA list: a WABA is known
/// through its channels.
public struct LiveWABA: Sendable, Equatable {
    /// `waba_account.id`: the id in addresses (`waba.<id>.webhook`) and in `{waba_id}`.
    public var id: String
    /// `waba_account.external_id` (Meta's id), when the API sends it.
    public var externalID: String?
    public var name: String?
    /// The WABA's channels, sorted by id.
    public var channelIDs: [String]
    /// The numbers of its channels (digits), sorted.
    public var phoneNumbers: [String]

    public init(id: String, externalID: String? = nil, name: String? = nil, channelIDs: [String], phoneNumbers: [String] = []) {
        self.id = id
        self.externalID = externalID
        self.name = name
        self.channelIDs = channelIDs.sorted()
        self.phoneNumbers = phoneNumbers.sorted()
    }

    /// The WABAs of `channels`, sorted by id. Channels without `waba_account.id` belong to none.
    public static func of(_ channels: [LiveChannel]) -> [LiveWABA] {
        var byID: [String: LiveWABA] = [:]
        for channel in channels {
            guard let id = channel.wabaID ?? channel.fields["waba_account.id"], !id.isEmpty else { continue }
            var waba = byID[id] ?? LiveWABA(id: id, channelIDs: [])
            waba.externalID = waba.externalID ?? channel.fields["waba_account.external_id"]
            waba.name = waba.name ?? channel.fields["waba_account.name"]
            waba.channelIDs.append(channel.id)
            if let number = channel.phoneNumber, !number.isEmpty { waba.phoneNumbers.append(number) }
            byID[id] = waba
        }
        return byID.values.map {
            LiveWABA(id: $0.id, externalID: $0.externalID, name: $0.name, channelIDs: $0.channelIDs, phoneNumbers: $0.phoneNumbers)
        }
        .sorted { $0.id < $1.id }
    }

    /// The channel whose key reads and writes this WABA's webhook: the first in id order
    /// that has a key in `keys`; nil when none has.
    public func keyChannel(in keys: ChannelKeys) -> String? {
        channelIDs.first { keys.entry(for: $0) != nil }
    }
}
