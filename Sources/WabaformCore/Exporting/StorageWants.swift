import PartnerAPIRules
import WabaformConfig

/// What each channel's local storage asks of the rules: its region or `off`; nothing when
/// it was not read; no rule at all when it is a region a config cannot name.
struct StorageWants {
    var wants: [String: AttributeCover<LocalStorage>.Want] = [:]
    /// Channels whose local storage was not read, with the reason.
    var unread: [String: String] = [:]

    init(channels: [LiveChannel], remarks: inout [String: [String]], warnings: inout [String]) {
        for channel in channels {
            switch channel.localStorage {
            case .unknown(let reason):
                wants[channel.id] = .either
                unread[channel.id] = reason
                warnings.append("channel \(channel.id): local storage not read (\(reason)); left out")
            case .known(nil):
                wants[channel.id] = .value([.off])
            case .known(let code?):
                if let region = Region(code: code) {
                    wants[channel.id] = .value([.region(region)])
                } else {
                    wants[channel.id] = .uncovered
                    remarks[channel.id, default: []].append("local storage \(code) is not a region a config can name, so it is not written")
                    warnings.append("channel \(channel.id): local storage \(code) is not a known region; left out")
                }
            }
        }
    }

    func fits(_ value: LocalStorage, _ channel: LiveChannel) -> Bool {
        if case .value(let values) = wants[channel.id] { return values[0] == value }
        return false
    }
}
