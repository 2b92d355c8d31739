import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func quickstartIsValid() throws {
        let result = try CLI.run(["validate", "-f", "examples/quickstart"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "valid: 1 file, 4 rules\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func everyExampleIsValid() throws {
        let configs = try Examples.configs()
        #expect(configs.map(\.name) == ["gitops", "quickstart"])
        for (name, config) in configs {
            let result = try CLI.run(["validate", "-f", config], environment: Examples.environment)
            #expect(result.exitCode == 0, "examples/\(name): \(result.stderr)")
        }
    }

    @Test func mistakesAreLocatedAndExitOne() throws {
        let directory = try CLI.temporaryDirectory()
        try """
        version: 1
        partner:
          id: demoPA
          webhook_url: http://hooks.example.com/360/partner
        channels:
          - select: all
            webhok:
              url: https://hooks.example.com/wa/{channel_id}
          - id: abcCH
            local_storage: UK
        """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let text = try CLI.run(["validate"], in: directory)
        #expect(text.exitCode == 1)
        #expect(text.stdout.isEmpty)
        #expect(text.stderr.contains("wabaform.yaml:4:16: error: partner.webhook_url must use https, not http\n"))
        #expect(text.stderr.contains("wabaform.yaml:7:5: error: unknown key 'webhok' in a channel rule; did you mean 'webhook'?\n"))
        #expect(
            text.stderr.contains(
                "wabaform.yaml:10:20: error: unknown region code \"UK\" for local_storage; did you mean GB, for United Kingdom?\n"))
        #expect(text.stderr.hasSuffix("invalid: 3 errors\n"))

        let json = try CLI.run(["validate", "--format", "json"], in: directory)
        #expect(json.exitCode == 1)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 3)
        #expect(list.first?["line"] as? Int == 4)
        #expect(list.first?["severity"] as? String == "error")
    }

    @Test func missingDefaultFileSaysHowToNameOne() throws {
        let result = try CLI.run(["validate"], in: try CLI.temporaryDirectory())
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("wabaform.yaml"))
        #expect(result.stderr.contains("-f"))
    }

    @Test func unsetVariableIsAnErrorAndItsValueNeverPrints() throws {
        let directory = try CLI.temporaryDirectory()
        try """
        version: 1
        partner: { id: demoPA }
        channels:
          - select: all
            webhook:
              url: https://hooks.example.com/wa/{channel_id}
              headers: { X-Secret: "${HOOK_SECRET}", X-Other: "${MISSING}" }
        """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate"], in: directory, environment: ["HOOK_SECRET": "hunter2-very-secret"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("MISSING is not set"))
        #expect(!result.stderr.contains("hunter2") && !result.stdout.contains("hunter2"))
    }
}
