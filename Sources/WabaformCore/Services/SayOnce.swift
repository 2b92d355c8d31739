import Foundation

/// A fleet-wide fact is said once: notes about many channels that say the same thing (the
/// same text once the channel's own id is taken out) become one line with a count and an
/// example, not one line per channel. A note about a single channel stays as it is.
public enum SayOnce {
    public struct Note: Sendable, Equatable {
        public var channelID: String
        /// What the note is about (`webhook`, `local_storage`), kept apart in the grouping.
        public var subject: String
        public var text: String

        /// The text with the channel's id replaced, so notes about different channels compare.
        var generic: String { channelID.isEmpty ? text : text.replacingOccurrences(of: channelID, with: "<channel id>") }
    }

    /// The lines for `notes`, in the order each group first appears. `single` renders a group
    /// of one; `many` renders (count, first note, generic text) for a larger group.
    public static func lines(
        _ notes: [Note], single: (Note) -> String, many: (_ count: Int, _ example: Note, _ generic: String) -> String
    ) -> [String] {
        var order: [String] = []
        var groups: [String: [Note]] = [:]
        for note in notes {
            let key = note.subject + "\u{0}" + note.generic
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(note)
        }
        return order.map { key in
            let group = groups[key]!
            return group.count == 1 ? single(group[0]) : many(group.count, group[0], group[0].generic)
        }
    }

    /// Lines of the form `channel <id>: <text>` collapsed per `lines(_:single:many:)`; other
    /// lines pass through, before the collapsed ones, in their order.
    public static func collapseChannelLines(_ lines: [String]) -> [String] {
        var other: [String] = []
        var notes: [Note] = []
        for line in lines {
            guard line.hasPrefix("channel "), let colon = line.range(of: ": ") else {
                other.append(line)
                continue
            }
            let id = String(line[line.index(line.startIndex, offsetBy: 8)..<colon.lowerBound])
            guard !id.isEmpty, !id.contains(" ") else {
                other.append(line)
                continue
            }
            notes.append(Note(channelID: id, subject: "", text: String(line[colon.upperBound...])))
        }
        return other
            + Self.lines(
                notes, single: { "channel \($0.channelID): \($0.text)" },
                many: { count, example, generic in "\(count) channels: \(generic) (e.g. channel \(example.channelID))" })
    }
}
