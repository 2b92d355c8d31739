/// The merged desired state from every config file, validated offline.
public struct DesiredConfig: Sendable, Hashable {
    /// Nil only if no file had a `partner` section (the loader reports that as an error,
    /// so a config returned by a successful load always has one).
    public let partner: PartnerSpec?
    /// Every `channels` entry of every file, in load order (`index` is the position here).
    public let channelRules: [ChannelRule]
    /// Every `wabas` entry of every file, in load order (`index` is the position here).
    public let wabaRules: [WABARule]
    /// The files read, in load order, as the user named them or as found in directories.
    public let sourceFiles: [String]

    public init(partner: PartnerSpec?, channelRules: [ChannelRule], wabaRules: [WABARule] = [], sourceFiles: [String]) {
        self.partner = partner
        self.channelRules = channelRules
        self.wabaRules = wabaRules
        self.sourceFiles = sourceFiles
    }
}
