/// Reading WABA webhooks: each with the key of the WABA's first channel (by id) that has one.
extension LiveStateReader {
    func readWABAWebhooks(_ wabas: [LiveWABA], keys: ChannelKeys, into out: inout WebhookReads) async throws {
        guard !wabas.isEmpty else { return }
        var keyChannels: [String: String?] = [:]
        for waba in wabas { keyChannels[waba.id] = waba.keyChannel(in: keys) }
        let reads = try await client.wabaWebhooks(keyChannels: keyChannels, keys: keys)
        for waba in wabas {
            guard let channelID = keyChannels[waba.id] ?? nil else {
                let some = waba.channelIDs.prefix(3).joined(separator: ", ") + (waba.channelIDs.count > 3 ? ", …" : "")
                out.wabaValues[waba.id] = .unknown(
                    reason:
                        "no channel of WABA \(waba.id) has a key (its channels: \(some)); it is read and written with the key of one of them: set WABAFORM_CHANNEL_KEY_<channel id> or add one to the channel keys file (--channel-keys)"
                )
                continue
            }
            out.wabaKeyChannels[waba.id] = channelID
            let read = reads[waba.id] ?? .failed("not read")
            out.wabaValues[waba.id] = read.webhook(channelID: channelID)
        }
    }
}
