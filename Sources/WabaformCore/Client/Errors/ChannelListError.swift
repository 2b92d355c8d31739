/// Paging through the channel list saw a list that changed or does not add up.
public struct ChannelListError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
