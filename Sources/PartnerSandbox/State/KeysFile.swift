import Foundation

/// The `{channel_id: key}` JSON file the sandbox writes beside its state, for
/// `WABAFORM_CHANNEL_KEYS_FILE`. Keys marked unpublished are left out.
enum KeysFile {
    static func write(store: SandboxStore, to path: String) async throws {
        let channels = await store.state.channels.values
        var keys: [String: String] = [:]
        for channel in channels where channel.keyPublished != false { keys[channel.id] = channel.apiKey }
        let data = try JSONSerialization.data(withJSONObject: keys, options: [.sortedKeys, .prettyPrinted])
        try AtomicFile.write(data + Data("\n".utf8), to: path)
    }
}
