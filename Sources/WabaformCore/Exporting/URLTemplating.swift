import PartnerAPIRules
import WabaformConfig

/// Finds the ways a channel's webhook URL can be written with placeholders.
///
/// For every subset of the placeholders (`{channel_id}`, `{client_id}`, `{phone_number}`,
/// `{waba_id}`), each occurrence of the channel's own values is replaced, scanning left to
/// right and taking the longest value that matches at a position (a client id that is part
/// of the channel id does not cut it in two). Every candidate fills back to exactly the URL
/// for this channel; whether it fits another channel is decided by filling it for that one
/// (`fits`), never assumed. Accidental matches (a short client id inside a host name) give
/// candidates that fit only this channel, which lose to the literal URL.
enum URLTemplating {
    /// The values the planner fills in, named like the placeholders, non-empty only.
    static func values(of channel: LiveChannel) -> [(name: String, value: String)] {
        [
            ("channel_id", channel.id), ("client_id", channel.clientID ?? ""),
            ("phone_number", channel.phoneNumber ?? ""), ("waba_id", channel.wabaID ?? ""),
        ].filter { !$0.1.isEmpty }
    }

    /// The URL as written (first), then every distinct template, fewest placeholders first.
    static func candidates(url: String, channel: LiveChannel) -> [String] {
        let values = values(of: channel)
        var seen: Set<String> = [url]
        var result: [(template: String, placeholders: Int)] = []
        for mask in 1..<(1 << values.count) {
            let chosen = values.indices.filter { mask & (1 << $0) != 0 }.map { values[$0] }
            let (template, count) = replace(in: url, chosen)
            guard count > 0, seen.insert(template).inserted, isWritable(template) else { continue }
            result.append((template, count))
        }
        result.sort { $0.placeholders != $1.placeholders ? $0.placeholders < $1.placeholders : $0.template < $1.template }
        return [url] + result.map(\.template)
    }

    /// The URL the planner makes of `template` for `channel`.
    static func fill(_ template: String, for channel: LiveChannel) -> String {
        WebhookURLTemplate(template).fill(
            channelID: channel.id, clientID: channel.clientID ?? "", phoneNumber: channel.phoneNumber ?? "",
            wabaID: channel.wabaID ?? "")
    }

    static func placeholderCount(_ template: String) -> Int {
        WebhookURLTemplate(template).placeholdersUsed.count
    }

    /// Replaces occurrences of the chosen values, longest match first at each position.
    private static func replace(in url: String, _ chosen: [(name: String, value: String)]) -> (String, Int) {
        let bytes = Array(url.utf8)
        let needles = chosen.map { (name: $0.name, bytes: Array($0.value.utf8)) }
            .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.name < $1.name }
        var out: [UInt8] = []
        var replaced = 0
        var index = 0
        outer: while index < bytes.count {
            for needle in needles
            where index + needle.bytes.count <= bytes.count
                && bytes[index..<(index + needle.bytes.count)].elementsEqual(needle.bytes)
            {
                out += Array("{\(needle.name)}".utf8)
                index += needle.bytes.count
                replaced += 1
                continue outer
            }
            out.append(bytes[index])
            index += 1
        }
        return (String(decoding: out, as: UTF8.self), replaced)
    }

    /// The config loader checks a template with sample values in its placeholders; keep only
    /// templates that pass, so a placeholder never lands where a sample would break the URL.
    private static func isWritable(_ template: String) -> Bool {
        let sample = WebhookURLTemplate(template).fill(
            channelID: "abcCH", clientID: "abcCL", phoneNumber: "4915112345678", wabaID: "123456789012345")
        return WebhookURLRule.violations(of: sample).isEmpty
    }

    /// Why a live URL cannot be written in a config as it is ("must use https, not http"),
    /// or nil when it can.
    static func unwritableReason(_ url: String, webhookRules: Bool = true) -> String? {
        if url.contains("{") || url.contains("}") {
            return "contains { or }, which a config reads as a placeholder"
        }
        return WebhookURLRule.violations(of: url, as: webhookRules ? .webhook : .https).first.map(\.description)
    }
}
