import Foundation
import Testing

/// Golden files: `check` compares output with a file; `WABAFORM_RECORD=1` rewrites the files.
public struct Golden: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["WABAFORM_RECORD"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            actual == expected, "differs from golden \(name); rerun with WABAFORM_RECORD=1 to re-record", sourceLocation: sourceLocation)
    }
}
