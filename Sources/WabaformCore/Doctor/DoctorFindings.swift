import PartnerAPIRules

/// Everything the doctor saw, gathered by `DoctorService` (the only part that does I/O) and
/// judged by `DoctorAssessment` (pure), so each verdict depends only on these values.
struct DoctorFindings: Sendable {
    /// An operation's outcome: its value, or the error's message for the user (escaped).
    enum Outcome<Value: Sendable>: Sendable {
        case read(Value)
        /// The API answered with an error status.
        case refused(status: Int, message: String)
        /// No answer (unreachable, timeout, connection closed).
        case failed(String)
        /// An answer that could not be used: HTML, not JSON, or a field wabaform reads in
        /// another type than it can read (the message names it).
        case unusable(String)
    }

    /// A second page read to see whether paging holds together.
    enum PagingProbe: Sendable {
        /// The page after the first (`offset` = the first page's size).
        case nextPage(Outcome<ChannelPageRead>)
        /// `offset 1, limit 1` when every channel fitted on the first page.
        case offsetOne(Outcome<ChannelPageRead>)
        /// Fewer than two channels: nothing to page.
        case none
    }

    /// One webhook read: its result and the status of every attempt it made (nil: no answer).
    struct WebhookRead: Sendable {
        var channelID: String
        var result: Outcome<ChannelWebhookRead>
        var statuses: [Int?]
        /// Where the key came from (a variable name or a file path), never the key.
        var keySource: String?

        /// No attempt got an HTTP answer: the host is unreachable.
        var unanswered: Bool {
            if case .failed = result { return statuses.allSatisfy { $0 == nil } }
            return false
        }
    }

    var endpoints: Endpoints
    var credentials: PartnerCredentials
    var partnerID: String
    var partner: Outcome<LivePartner>?
    /// The first page, asked for with `APIAssumptions.channelPageSize` and `channelPageSort`.
    var firstPage: Outcome<ChannelPageRead>?
    var requestedPageSize = APIAssumptions.channelPageSize
    var pagingProbe: PagingProbe = .none
    var keys: ChannelKeys
    var sampleSize: Int
    /// The sampled channels' webhook reads, by channel id.
    var webhookReads: [WebhookRead] = []
    /// A read with a key that cannot be valid: how does the Messaging API refuse a key?
    var invalidKeyProbe: WebhookRead?
    var attempts: [RequestRecorder.Attempt] = []
    /// The client-side rate limit in use, per host; nil = none (loopback).
    var requestsPerSecond: Double?
    var tokensFetched = 0

    /// Every channel read, by id (the first page and the paging probe).
    var channelsRead: [LiveChannel] {
        var byID: [String: LiveChannel] = [:]
        if case .read(let page) = firstPage { for channel in page.channels { byID[channel.id] = channel } }
        switch pagingProbe {
        case .nextPage(.read(let page)), .offsetOne(.read(let page)):
            for channel in page.channels where byID[channel.id] == nil { byID[channel.id] = channel }
        default: break
        }
        return byID.values.sorted { $0.id < $1.id }
    }
}
