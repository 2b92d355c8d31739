import Foundation
import PartnerSandbox
import Testing

/// What README.md and docs/ promise, where the program used to do otherwise (issue 20).
@Suite struct DocPromiseTests {
    static let quickstart = PlanCommandTests.quickstart

    static func write(_ files: [String: String]) throws -> String {
        let directory = try CLI.temporaryDirectory()
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory
    }

    /// README: the partner id comes from WABAFORM_PARTNER_ID when the config has none.
    @Test func aChannelOnlyConfigTakesThePartnerIDFromTheEnvironment() async throws {
        let directory = try Self.write(["wabaform.yaml": "version: 1\nchannels:\n  - id: globex02CH\n    local_storage: GB\n"])
        let validate = try CLI.run(["validate"], in: directory)
        #expect(validate.exitCode == 0, "\(validate.stderr)")
        #expect(validate.stdout == "valid: 1 file, 1 rule\n")
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let plan = try await CLI.runAsync(["plan"], in: directory, environment: environment(for: sandbox))
            #expect(plan.exitCode == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("channel globex02CH"))
            #expect(plan.stdout.contains("Plan: 0 to create, 0 to update, 0 to delete, 1 to replace; 0 unknown."))
            var noPartner = environment(for: sandbox)
            noPartner["WABAFORM_PARTNER_ID"] = nil
            let missing = try await CLI.runAsync(["plan"], in: directory, environment: noPartner)
            #expect(missing.exitCode == 1)
            #expect(missing.stderr.contains("no partner id: set partner.id in the config, or WABAFORM_PARTNER_ID"))
        }
    }

    /// docs/configuration.md, "Precedence and conflicts": the same rule in validate and plan.
    @Test func oneConflictRuleForValidateAndPlan() async throws {
        let header = "version: 1\npartner:\n  id: demoPA\nchannels:\n"
        // Same selector: different attributes, or the same value twice, are fine.
        let fine = try Self.write([
            "wabaform.yaml": header + """
                  - id: globex02CH
                    local_storage: GB
                  - id: globex02CH
                    webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
                  - id: globex02CH
                    local_storage: gb
                  - select: { client_id: globexCL }
                    local_storage: GB
                  - select: { client.name: "Globex*" }
                    local_storage: GB
                """
        ])
        let valid = try CLI.run(["validate"], in: fine)
        #expect(valid.exitCode == 0, "\(valid.stderr)")
        // Different values: refused by validate (same selector) and by plan (two maps, one channel).
        let clash = try Self.write([
            "wabaform.yaml": header + """
                  - id: globex02CH
                    local_storage: GB
                  - id: globex02CH
                    local_storage: DE
                """
        ])
        let invalid = try CLI.run(["validate"], in: clash)
        #expect(invalid.exitCode == 1)
        #expect(
            invalid.stderr.contains(
                "wabaform.yaml:8:5: error: local_storage is already set to a different value for channel id globex02CH at wabaform.yaml:6:5"
            ))
        let maps = try Self.write([
            "wabaform.yaml": header + """
                  - select: { client_id: globexCL }
                    local_storage: GB
                  - select: { client.name: "Globex*" }
                    local_storage: DE
                """
        ])
        #expect(try CLI.run(["validate"], in: maps).exitCode == 0, "validate cannot know that both maps select the same channels")
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let agreeing = try await CLI.runAsync(["plan"], in: fine, environment: env)
            #expect(agreeing.exitCode == 0, "\(agreeing.stderr)")
            let conflicting = try await CLI.runAsync(["plan"], in: maps, environment: env)
            #expect(conflicting.exitCode == 1)
            #expect(conflicting.stderr.contains("give channel globex01CH different local_storage values"))
        }
    }

    /// `validate --strict` with a warning says so once, on stderr, and exits 1.
    @Test func strictValidationPrintsItsOutcomeOnce() throws {
        let directory = try Self.write(["wabaform.yaml": "version: 1\npartner:\n  id: demoPA\nchannels:\n  - select: all\n"])
        let lenient = try CLI.run(["validate"], in: directory)
        #expect(lenient.exitCode == 0)
        #expect(lenient.stdout == "valid: 1 file, 1 rule, 1 warning\n")
        let strict = try CLI.run(["validate", "--strict"], in: directory)
        #expect(strict.exitCode == 1)
        #expect(strict.stdout.isEmpty, "the outcome is printed once: \(strict.stdout)")
        #expect(strict.stderr.hasSuffix("\ninvalid: 0 errors, 1 warning (warnings are errors with --strict)\n"), "\(strict.stderr)")
        #expect(!strict.stderr.contains("valid: 1 file"))
    }

    /// drift has its own headings, in text and Markdown.
    @Test func driftHasItsOwnHeadings() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let text = try await CLI.runAsync(["drift"] + Self.quickstart, environment: env)
            #expect(text.exitCode == 2)
            #expect(text.stdout.hasPrefix("Drift: live state differs from the configuration; apply would make these changes:\n"))
            #expect(text.stdout.contains("\nDrift: 6 to create, 4 to update, 1 to delete, 1 to replace; 1 unknown.\n"))
            #expect(!text.stdout.contains("wabaform will make") && !text.stdout.contains("Plan:"))
            let markdown = try await CLI.runAsync(["drift", "--format", "markdown"] + Self.quickstart, environment: env)
            #expect(markdown.stdout.hasPrefix("### wabaform drift for partner `demoPA`\n\n**Drift: 6 to create"))
            #expect(markdown.stdout.contains("<summary>Full report</summary>"))
            let plan = try await CLI.runAsync(["plan", "--format", "markdown"] + Self.quickstart, environment: env)
            #expect(plan.stdout.hasPrefix("### wabaform plan for partner `demoPA`\n\n**Plan: 6 to create"))
        }
    }

    /// Export's first line points at a schema the user names, never at a placeholder.
    @Test func exportNamesTheSchemaTheUserGives() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            var env = environment(for: sandbox)
            let plain = try await CLI.runAsync(["export"], environment: env)
            #expect(plain.exitCode == 0, "\(plain.stderr)")
            #expect(!plain.stdout.contains("OWNER") && !plain.stdout.contains("$schema=h"))
            let flag = try await CLI.runAsync(["export", "--schema-url", "../schemas/wabaform.schema.json"], environment: env)
            #expect(flag.stdout.hasPrefix("# yaml-language-server: $schema=../schemas/wabaform.schema.json\n#\n# Exported by"))
            env["WABAFORM_SCHEMA_URL"] = "https://example.com/wabaform.schema.json"
            let variable = try await CLI.runAsync(["export"], environment: env)
            #expect(variable.stdout.hasPrefix("# yaml-language-server: $schema=https://example.com/wabaform.schema.json\n"))
            let bad = try await CLI.runAsync(["export", "--schema-url", "a b\u{1B}[2J"], environment: env)
            #expect(bad.exitCode == 1)
            #expect(bad.stdout.isEmpty && !bad.stderr.contains("\u{1B}"))
        }
    }
}
