import PartnerAPIRules

/// Limits on what an API answer may claim, checked before anything is allocated from it: a
/// value beyond them is an error naming the operation, never an allocation or a crash.
/// Each limit is far beyond any real account (partners have thousands of channels).
enum ResponseBounds {
    /// Channels a partner may have.
    static let maxChannels = 1_000_000
    /// Requests paging through the channel list may take (a server sending tiny pages).
    static let maxChannelPages = 20_000
    /// Characters of an id (channel, client, partner) the API sends.
    static let maxIDLength = 256
    /// Characters of any other string field of a channel (names, statuses, timestamps).
    static let maxFieldLength = 4_096

    /// Characters of a webhook URL.
    static let maxURLLength = 8_192
    /// Headers of one webhook, and the characters of a header name and value.
    static let maxHeaders = 100
    static let maxHeaderNameLength = 256
    static let maxHeaderValueLength = 8_192

    /// The problem with a webhook read; nil when within bounds. Never quotes a value.
    static func problem(webhook: LiveWebhook) -> String? {
        if webhook.url.utf8.count > maxURLLength { return "a webhook URL of \(webhook.url.utf8.count) bytes (at most \(maxURLLength))" }
        if webhook.headers.count > maxHeaders { return "\(webhook.headers.count) webhook headers (at most \(maxHeaders))" }
        for (name, value) in webhook.headers {
            if name.utf8.count > maxHeaderNameLength {
                return "a webhook header name of \(name.utf8.count) bytes (at most \(maxHeaderNameLength))"
            }
            if value.revealed.utf8.count > maxHeaderValueLength {
                return "a webhook header value of \(value.revealed.utf8.count) bytes (at most \(maxHeaderValueLength))"
            }
        }
        return nil
    }

    /// The problem with `total` as a channel count; nil when it is within bounds.
    static func problem(total: Int, pageSize: Int) -> String? {
        if total < 0 { return "the API reported a negative number of channels (\(total))" }
        if total > maxChannels {
            return "the API reported \(total) channels, more than wabaform accepts (\(maxChannels)); the answer cannot be right"
        }
        if pageSize > 0, total / pageSize > maxChannelPages {
            return
                "the API sends \(pageSize) channels per page, so reading \(total) channels would take more than \(maxChannelPages) requests"
        }
        return nil
    }

    /// The problem with one channel's strings; nil when within bounds.
    static func problem(channel: LiveChannel) -> String? {
        if channel.id.isEmpty { return "a channel without an id" }
        if channel.id.utf8.count > maxIDLength {
            return "a channel id of \(channel.id.utf8.count) bytes (at most \(maxIDLength))"
        }
        if let client = channel.clientID, client.utf8.count > maxIDLength {
            return "channel \(channel.id): a client id of \(client.utf8.count) bytes (at most \(maxIDLength))"
        }
        // The first too long in path order, measured without reading any: a check per channel
        // of every page.
        guard let (name, length) = channel.fields.first(longerThan: maxFieldLength) else { return nil }
        return "channel \(channel.id): field \(name) of \(length) bytes (at most \(maxFieldLength))"
    }
}
