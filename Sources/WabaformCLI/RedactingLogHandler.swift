import Foundation
import Logging
import PartnerAPIRules

/// swift-log's lines on stderr, in `StreamLogHandler`'s layout, written through
/// `StandardStreams`: no known secret, and each entry one line with anything a terminal
/// would act on shown escaped (a logged API message cannot forge or hide lines).
struct RedactingLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let shownMetadata = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Timestamp.now()) \(event.level) \(label) :\(shownMetadata) [\(event.source)] \(event.message)"
        StandardStreams.writeError(TerminalText.escaped(line) + "\n")
    }
}
