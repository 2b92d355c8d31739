import WabaformConfig

/// `--target ADDRESS` (repeatable): the addresses a plan, apply or drift is narrowed to, as
/// written (`channel.abcCH`, `channel.*.local_storage`, `partner.*`, `waba.*`). `*` matches any
/// run of characters, dots included. A target matches an address it matches whole, and every
/// address below it: `channel.abcCH` is `channel.abcCH.webhook` and `channel.abcCH.local_storage`.
///
/// Targets narrow what is read, not only what is shown: the partner is read only when a
/// target can match a partner address, and when every target that can match a channel names
/// its id without `*`, only those channels are read (the channel list filtered by id), so a
/// targeted plan costs a handful of requests on a fleet of any size.
public struct PlanTargets: Sendable, Equatable {
    /// Sorted, each once. Empty: no targeting, everything is planned.
    public let addresses: [String]
    private let patterns: [GlobPattern]
    /// Each pattern followed by `.*`: the addresses below it. Made once: made again for every
    /// address, with 200 glob targets they were most of a 10,000-channel plan's 3.1 s of CPU.
    private let below: [GlobPattern]

    public static let everything = PlanTargets(checked: [])

    /// The resource kinds an address can start with.
    public static let kinds = ["partner", "channel", "waba"]
    static let partnerAddresses = ["partner.webhook_url", "partner.redirect_url", "partner.default_local_storage"]

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Checks each address: not empty, no spaces or control characters, and starting with a
    /// kind (`partner`, `channel`, `waba`) or a glob that can match one.
    public init(_ addresses: [String]) throws(Problem) {
        for address in addresses {
            if address.isEmpty { throw Problem(description: "--target needs an address, e.g. channel.abcCH or partner.*") }
            // Printable ASCII only: ids and attribute names are, and the address is then safe to show.
            if address.unicodeScalars.contains(where: { !(0x21...0x7E).contains($0.value) }) {
                throw Problem(
                    description:
                        "--target has an address with a space, a control or a non-ASCII character; addresses look like channel.abcCH")
            }
            let shown = "\"\(address)\""
            let kind = GlobPattern(String(address.prefix { $0 != "." }))
            guard Self.kinds.contains(where: kind.matches) else {
                throw Problem(
                    description:
                        "--target \(shown) is not an address: addresses start with partner, channel or waba (e.g. channel.abcCH, channel.*.local_storage, partner.*)"
                )
            }
        }
        self.init(checked: addresses)
    }

    private init(checked addresses: [String]) {
        self.addresses = Array(Set(addresses)).sorted()
        self.patterns = self.addresses.map(GlobPattern.init)
        self.below = self.addresses.map { GlobPattern($0 + ".*") }
    }

    public var isEverything: Bool { addresses.isEmpty }

    /// Whether `address` (e.g. `channel.abcCH.webhook`) is targeted.
    public func matches(_ address: String) -> Bool {
        isEverything || patterns.indices.contains { patterns[$0].matches(address) || below[$0].matches(address) }
    }

    /// Whether any partner address is targeted, so the partner must be read.
    public var includesPartner: Bool { Self.partnerAddresses.contains(where: matches) }

    /// Whether an attribute of channel `id` may be targeted.
    public func includesChannel(_ id: String) -> Bool {
        ManagedAttribute.allCases.contains { matches("channel.\(id).\($0)") }
    }

    /// The channel ids to read one by one, or nil when the whole list must be read (no
    /// targeting, a target that can match channels without naming their id, or one that can
    /// match a WABA).
    public var channelIDs: [String]? {
        guard !isEverything else { return nil }
        var ids: Set<String> = []
        for pattern in patterns {
            let parts = pattern.pattern.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            // WABAs are found through the channel list: a target that can match one reads all of it.
            if GlobPattern(parts[0]).matches("waba") { return nil }
            guard GlobPattern(parts[0]).matches("channel") else { continue }  // partner.*: no channel
            guard parts[0] == "channel", parts.count >= 2, !parts[1].isEmpty, !parts[1].contains("*") else { return nil }
            ids.insert(parts[1])
        }
        return ids.sorted()
    }
}
