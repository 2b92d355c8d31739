import Foundation
import PartnerAPIRules
import Testing
@testable import WabaformConfig

/// Each `Fixtures/invalid/<name>.yaml` (or directory `<name>/`, loaded with `-f`) has a
/// golden `<name>.expected.txt`: the exact text `wabaform validate` prints on stderr.
/// `WABAFORM_RECORD=1 swift test` rewrites the goldens; review the diff before committing.
@Suite("Golden diagnostics for invalid fixtures")
struct GoldenDiagnosticsTests {
    static let invalidDirectory = Support.fixturesDirectory.appendingPathComponent("invalid")

    /// Fixture names as passed to `-f`, relative to `Fixtures/`.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: invalidDirectory.path)) ?? []
        return names.sorted().filter { !$0.hasSuffix(".expected.txt") }.map { "invalid/" + $0 }
    }()

    static func goldenURL(for fixture: String) -> URL {
        let name = URL(fileURLWithPath: fixture).lastPathComponent
        let stem = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
        return invalidDirectory.appendingPathComponent(stem + ".expected.txt")
    }

    @Test("there are invalid fixtures") func fixturesExist() {
        #expect(Self.cases.count >= 20)
    }

    @Test("output matches the golden file", arguments: cases)
    func matchesGolden(fixture: String) throws {
        let outcome = ConfigValidation.run(
            paths: [fixture], workingDirectory: Support.fixturesDirectory.path,
            environment: Support.environment, format: .text)
        #expect(outcome.exitCode == 1, "an invalid fixture must fail validation")
        #expect(outcome.stdout.isEmpty)
        for secret in Support.secretValues {
            #expect(!outcome.stderr.contains(secret), "diagnostics reveal a header value")
        }
        let golden = Self.goldenURL(for: fixture)
        if Support.recording {
            try outcome.stderr.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
            Issue.record("no golden \(golden.lastPathComponent); run WABAFORM_RECORD=1 swift test and review it")
            return
        }
        #expect(outcome.stderr == expected, "diagnostics differ from \(golden.lastPathComponent)")
    }

    @Test("JSON output has the same diagnostics", arguments: cases)
    func jsonMatchesText(fixture: String) throws {
        let text = ConfigValidation.run(
            paths: [fixture], workingDirectory: Support.fixturesDirectory.path,
            environment: Support.environment, format: .text)
        let json = ConfigValidation.run(
            paths: [fixture], workingDirectory: Support.fixturesDirectory.path,
            environment: Support.environment, format: .json)
        #expect(json.exitCode == 1)
        #expect(json.stderr.isEmpty)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let headers = text.stderr.split(separator: "\n").filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        #expect(parsed.count == headers.count)
        for (object, header) in zip(parsed, headers) {
            let file = try #require(object["file"] as? String)
            let line = try #require(object["line"] as? Int)
            let column = try #require(object["column"] as? Int)
            let severity = try #require(object["severity"] as? String)
            let message = try #require(object["message"] as? String)
            let place = line == 0 ? file : "\(file):\(line):\(column)"
            // Text shows untrusted characters escaped; JSON keeps them exact.
            #expect(String(header) == TerminalText.escaped("\(place): \(severity): \(message)"))
        }
        for secret in Support.secretValues {
            #expect(!json.stdout.contains(secret))
        }
    }

    @Test("every golden file has a fixture")
    func noOrphanGoldens() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.invalidDirectory.path)) ?? []
        let goldens = Set(names.filter { $0.hasSuffix(".expected.txt") })
        let expected = Set(Self.cases.map { Self.goldenURL(for: $0).lastPathComponent })
        #expect(goldens == expected)
    }
}
