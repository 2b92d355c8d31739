import Foundation

extension PartnerAPIClient {
    /// Every channel of the partner, sorted by id.
    ///
    /// The first page (`APIAssumptions.channelPageSize`) gives `total`; the remaining pages
    /// are then fetched concurrently within the parallelism bound. Duplicates are dropped by
    /// id. A `total` that changes between pages, or fewer channels than `total`, throws
    /// `ChannelListError` rather than return a partial fleet.
    /// `progress` is called with (channels read, total) after each page.
    public func allChannels(progress: (@Sendable (_ read: Int, _ total: Int) -> Void)? = nil) async throws -> [LiveChannel] {
        try await allChannels(progress: progress, eachPage: nil)
    }

    /// `allChannels(progress:)`, handing each page's channels to `eachPage` as the page
    /// arrives (before the list as a whole is checked).
    func allChannels(
        progress: (@Sendable (_ read: Int, _ total: Int) -> Void)?, eachPage: (@Sendable ([LiveChannel]) -> Void)?
    ) async throws -> [LiveChannel] {
        let requested = APIAssumptions.channelPageSize
        let first = try await page(offset: 0, limit: requested)
        eachPage?(first.channels)
        let total = first.total
        if let problem = ResponseBounds.problem(total: total, pageSize: first.channels.count) {
            throw ChannelListError(description: "list channels of partner \(partnerID) failed: \(problem)")
        }
        progress?(min(first.channels.count, total), total)
        var pages = [first]
        if first.channels.count < total {
            // The page size the server really uses: a full first page shows it.
            let step = first.channels.count
            guard step > 0 else {
                throw ChannelListError(
                    description: "list channels of partner \(partnerID): the API reported \(total) channels but sent none")
            }
            let offsets = Array(stride(from: step, to: total, by: step))
            var read = first.channels.count
            let later = try await FanOut.map(offsets, width: parallelism) { [self] offset in
                let page = try await page(offset: offset, limit: step)
                eachPage?(page.channels)
                return page
            }
            for page in later {
                read += page.channels.count
                progress?(min(read, total), total)
            }
            pages += later
        }
        for page in pages where page.total != total {
            throw ChannelListError(
                description:
                    "list channels of partner \(partnerID): the channel list changed while it was read (total \(total), then \(page.total)); run again"
            )
        }
        var byID: [String: LiveChannel] = [:]
        for page in pages {
            for channel in page.channels {
                if let problem = ResponseBounds.problem(channel: channel) {
                    throw ChannelListError(description: "list channels of partner \(partnerID) failed: the API sent \(problem)")
                }
                if byID[channel.id] == nil { byID[channel.id] = channel }
            }
        }
        guard byID.count >= total else {
            throw ChannelListError(
                description:
                    "list channels of partner \(partnerID): read \(byID.count) distinct channels but the API reported \(total); the list changed while it was read; run again"
            )
        }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// One channel by id (`filters={"id": …}`), e.g. to re-read it after a change; nil when
    /// the partner has no such channel.
    public func channel(id: String) async throws -> LiveChannel? {
        let filters = try Self.filtersJSON(["id": id])
        let page = try await perform("find channel \(id)", host: endpoints.apiURL) {
            try await hub.channelPage(partnerID: partnerID, offset: 0, limit: 2, filters: filters, sort: nil)
        }
        guard let found = page.channels.first(where: { $0.id == id }) else { return nil }
        if let problem = ResponseBounds.problem(channel: found) {
            throw ChannelListError(description: "find channel \(id) failed: the API sent \(problem)")
        }
        return found
    }

    private func page(offset: Int, limit: Int) async throws -> HubConnection.ChannelPage {
        try await perform("list channels of partner \(partnerID) (offset \(offset))", host: endpoints.apiURL) {
            try await hub.channelPage(
                partnerID: partnerID, offset: offset, limit: limit, filters: nil, sort: APIAssumptions.channelPageSort)
        }
    }

    static func filtersJSON(_ filters: [String: String]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: filters, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
