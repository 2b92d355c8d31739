import Foundation
import Testing

/// Golden files under Tests/WabaformCoreTests/Rendering/Golden; `WABAFORM_RECORD=1` rewrites them.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["WABAFORM_RECORD"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "differs from golden \(name); rerun with WABAFORM_RECORD=1 to re-record", sourceLocation: sourceLocation)
    }
}
