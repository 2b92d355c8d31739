import WabaformConfig

/// One URL per number: the Messaging API documentation says a webhook URL "should be unique
/// for every WABA number". Counts the channels each placeholder-free webhook URL of the
/// config lands on, and gives one warning per URL that lands on more than one.
struct SharedURLCount {
    /// Normalised URL → where the first rule (in config order) that writes it without
    /// placeholders sets it: the location, not the rule (an exported config has a literal URL
    /// per exception, and a table of whole rules held each one again).
    private var literal: [String: SourceLocation] = [:]
    private var channels: [String: Int] = [:]

    init(rules: [ChannelRule]) {
        for rule in rules {
            guard let spec = rule.webhook, !spec.urlTemplate.hasPlaceholders else { continue }
            let url = Normalize.url(spec.urlTemplate.template)
            if literal[url] == nil { literal[url] = rule.webhookLocation ?? rule.location }
        }
    }

    /// A channel is given `url` as its webhook.
    mutating func count(_ url: String) {
        guard !literal.isEmpty else { return }
        let normalized = Normalize.url(url)
        if literal[normalized] != nil { channels[normalized, default: 0] += 1 }
    }

    /// Located at the first rule that writes the URL; the URL itself is not quoted (it is in
    /// the source excerpt, and may come from a variable).
    func warnings() -> [Diagnostic] {
        channels.filter { $0.value > 1 }.sorted { $0.key < $1.key }.compactMap { url, count in
            guard let location = literal[url] else { return nil }
            return .warning(
                at: location,
                "this webhook URL has no placeholder and is set on \(count) channels; the Messaging API documentation says a webhook URL should be unique for every WABA number: add {channel_id} (or {phone_number}) to it, e.g. https://hooks.example.com/wa/{channel_id}"
            )
        }
    }
}
