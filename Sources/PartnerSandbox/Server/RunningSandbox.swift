/// A sandbox that is serving: where it is and how to talk to it.
public struct RunningSandbox: Sendable {
    public let host: String
    public let port: Int
    public let partnerID: String
    /// The partner key (X-API-Key) the sandbox accepts. A sandbox secret.
    public let partnerKey: String
    public let keysFilePath: String?
    public let store: SandboxStore
    public let stats: SandboxStats

    public var baseURL: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)"
    }

    /// The Partner API base URL (`WABAFORM_API_URL`).
    public var apiURL: String { baseURL + RouteTable.partnerPrefix }
    /// The Messaging API base URL (`WABAFORM_MESSAGING_URL`).
    public var messagingURL: String { baseURL }

    /// Shell lines that point wabaform at this sandbox, one per line, for `eval`.
    public var exportLines: [String] {
        var lines = [
            "export WABAFORM_API_URL=\(ShellQuote.quote(apiURL))",
            "export WABAFORM_MESSAGING_URL=\(ShellQuote.quote(messagingURL))",
            "export WABAFORM_API_KEY=\(ShellQuote.quote(partnerKey))",
            "export WABAFORM_PARTNER_ID=\(ShellQuote.quote(partnerID))",
        ]
        if let keysFilePath { lines.append("export WABAFORM_CHANNEL_KEYS_FILE=\(ShellQuote.quote(keysFilePath))") }
        return lines
    }
}

enum ShellQuote {
    /// The string as one shell word: bare when safe, else in single quotes.
    static func quote(_ string: String) -> String {
        let safe = string.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0) }
        if safe, !string.isEmpty { return string }
        return "'" + string.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
