import ArgumentParser
import Foundation

/// A duration flag: `90s`, `30m`, `2h`, `1h30m`, or a plain number of seconds.
struct RunDuration: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var seconds: Int64

    static let defaultDeadline = RunDuration(seconds: 30 * 60)

    init(seconds: Int64) { self.seconds = seconds }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty, text.count <= 32 else { return nil }
        if let plain = Int64(text) {
            seconds = plain
            return
        }
        var total: Int64 = 0, number = "", sawUnit = false
        for character in text {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            let unit: Int64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            default: return nil
            }
            guard let value = Int64(number), value <= 1_000_000 else { return nil }
            total += value * unit
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        seconds = total
    }

    var duration: Duration { .seconds(seconds) }

    var description: String {
        if seconds % 3600 == 0, seconds > 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0, seconds > 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    var defaultValueDescription: String { description }
}
