import Foundation

/// The `export NAME=value` lines `wabaform sandbox` prints once it is serving.
public enum SandboxExports {
    /// Reads `handle` until the keys-file line (the last one) arrives, the stream ends, or 30 s
    /// pass; returns the exports by name, quotes removed.
    public static func read(_ handle: FileHandle) -> [String: String] {
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("WABAFORM_CHANNEL_KEYS_FILE"), Date() < deadline {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return parse(text)
    }

    public static func parse(_ text: String) -> [String: String] {
        var exports: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { exports[String(pair[0])] = String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        }
        return exports
    }
}
