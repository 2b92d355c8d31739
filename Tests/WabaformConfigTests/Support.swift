import Foundation
import Testing
@testable import WabaformConfig

/// Paths and helpers shared by the tests. Fixtures are read from the source tree (found
/// from `#filePath`), so `WABAFORM_RECORD=1` can rewrite the goldens in place.
enum Support {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixturesDirectory = testsDirectory.appendingPathComponent("Fixtures")
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// The environment every fixture is loaded with.
    static let environment = [
        "WABAFORM_PARTNER_ID": "pa-1234",
        "HOOK_SECRET": "s3cr3t-hook-value",
        "ACME_TOKEN": "acme-t0ken-value",
    ]
    /// Values that must never appear in any diagnostic.
    static let secretValues = ["s3cr3t-hook-value", "acme-t0ken-value"]

    static var recording: Bool { ProcessInfo.processInfo.environment["WABAFORM_RECORD"] == "1" }

    static func load(_ yaml: String, path: String = "wabaform.yaml", environment: [String: String] = environment) -> ConfigLoadResult {
        ConfigLoader.load(sources: [(path: path, text: yaml)], environment: environment)
    }

    /// The text-format stderr for one in-memory file.
    static func diagnosticsText(_ yaml: String, environment: [String: String] = environment) -> String {
        ConfigValidation.outcome(of: load(yaml, environment: environment), format: .text).stderr
    }

    static func messages(_ yaml: String, environment: [String: String] = environment) -> [String] {
        load(yaml, environment: environment).diagnostics.map {
            "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)"
        }
    }

    static func files(in directory: URL, extensions: Set<String>) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }.filter { extensions.contains($0.pathExtension) }
    }
}
