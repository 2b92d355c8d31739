import WabaformConfig

/// Chooses the rules that give every channel exactly its live value for one attribute,
/// with as few rules as it can while staying exact:
///
/// 1. `select: all` with the value that fits the most channels. A channel that must not be
///    covered (it has no webhook, which a rule cannot say, or a value a config cannot hold)
///    is carved out of it with an `id` rule saying `unmanaged`, when that takes fewer rules
///    than going without `select: all`.
/// 2. `select: { client_id: … }` for a client whose channels mostly share a value other than
///    the `select: all` one, when that saves rules and none of its channels must stay
///    uncovered (or they are carved out already).
/// 3. An `id` rule for each channel the rules above do not give its value.
///
/// Channels whose value is unknown may be covered or not: the planner reports them as
/// unknown, never as a change.
struct AttributeCover<Value: Hashable & Sendable> {
    enum Want {
        /// The live value, as the ways it can be written: the first is the one for an `id`
        /// rule (no placeholders); the others may fit other channels too.
        case value([Value])
        /// No rule may set this attribute for the channel.
        case uncovered
        /// Not read: any rule, or none.
        case either
    }

    var all: Value?
    var clients: [String: Value] = [:]
    var exceptions: [String: Value] = [:]
    /// Channels the `select: all` value fits.
    var allCount = 0
    /// Channels taken out of the rules above by an `id` rule saying `unmanaged`; sorted.
    var carveOuts: [String] = []

    /// - Parameters:
    ///   - prefer: among values that fit equally many channels, whether the first is nicer.
    init(
        channels: [LiveChannel], wants: [String: Want], fits: (Value, LiveChannel) -> Bool, prefer: (Value, Value) -> Bool
    ) {
        func best(_ group: [LiveChannel]) -> Value? {
            var counts: [Value: Int] = [:]
            for channel in group {
                guard case .value(let candidates) = wants[channel.id] else { continue }
                for candidate in candidates { counts[candidate, default: 0] += 1 }
            }
            return counts.max { a, b in a.value != b.value ? a.value < b.value : prefer(b.key, a.key) }?.key
        }
        func fitCount(_ value: Value?, _ group: [LiveChannel]) -> Int {
            guard let value else { return 0 }
            return group.filter { channel in
                if case .value = wants[channel.id] { return fits(value, channel) }
                return false
            }.count
        }
        func coverable(_ group: [LiveChannel]) -> Bool {
            !group.contains { if case .uncovered = wants[$0.id] { true } else { false } }
        }

        if let value = best(channels) {
            let uncovered = channels.filter { if case .uncovered = wants[$0.id] { true } else { false } }.map(\.id)
            let fit = fitCount(value, channels)
            // Each carve-out is one rule; select: all pays when it saves more than those.
            if uncovered.isEmpty || fit > uncovered.count + 1 {
                all = value
                allCount = fit
                carveOuts = uncovered.sorted()
            }
        }
        let byClient = Dictionary(grouping: channels.filter { Exporter.clientKey($0) != nil }, by: { Exporter.clientKey($0)! })
        for (client, group) in byClient where all != nil || coverable(group) {
            guard let value = best(group), value != all else { continue }
            // The client rule overrides select: all for all its channels: it pays when it
            // fits more of them than select: all does, by more than the rule it costs.
            if fitCount(value, group) - fitCount(all, group) > 1 { clients[client] = value }
        }
        for channel in channels {
            guard case .value(let candidates) = wants[channel.id] else { continue }
            let given = Exporter.clientKey(channel).flatMap { clients[$0] } ?? all
            if let given, fits(given, channel) { continue }
            exceptions[channel.id] = candidates[0]
        }
    }
}
