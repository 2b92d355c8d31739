import Foundation
import PartnerSandbox
import Testing
import WabaformTestSupport

@Suite struct ExportCommandTests {
    /// `NAME  Header on CHANNEL…` lines that export prints on stderr → name → first channel.
    static func listedVariables(_ stderr: String) -> [(name: String, header: String, channel: String)] {
        stderr.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard line.hasPrefix("  WABAFORM_HEADER_"), words.count >= 4, words[2] == "on" else { return nil }
            return (String(words[0]), String(words[1]), String(words[3]))
        }
    }

    /// The value of each listed variable, from the sandbox's own state: what the partner
    /// would take from wherever it keeps its secrets.
    static func variableValues(_ stderr: String, sandbox: RunningSandbox) async -> [String: String] {
        var values: [String: String] = [:]
        for (name, header, channel) in listedVariables(stderr) {
            values[name] = await sandbox.store.state.channels[channel]?.webhook?.headers?[header]
        }
        return values
    }

    /// Every header value in the sandbox: none may appear in any output.
    static func secrets(_ sandbox: RunningSandbox) async -> Set<String> {
        Set(await sandbox.store.state.channels.values.flatMap { $0.webhook?.headers?.values.map { $0 } ?? [] })
    }

    /// YAML → JSON with PyYAML, then the JSON Schema.
    static func schemaProblems(ofYAMLFile path: String) throws -> String? {
        let json = path + ".json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], 'w'))", path, json,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return "python3 with pyyaml could not convert \(path)" }
        return try JSONSchemaCheck.validate(
            schema: CLI.packageRoot.appendingPathComponent("schemas/wabaform.schema.json").path, instance: json)
    }

    @Test func demoSeedExportIsGoldenReadOnlyAndPlansClean() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let export = try await CLI.runAsync(["export"], environment: env)
            #expect(export.exitCode == 0, "\(export.stderr)")
            try Golden.check(export.stdout, against: "export-demo.yaml")
            #expect(writes(sandbox).isEmpty, "export is read-only: \(writes(sandbox))")
            // One partner read, one page of channels, one webhook read per channel with a key,
            // one WABA webhook read per WABA (with the key of one of its channels).
            #expect(
                requestCounts(sandbox) == [
                    "GET /api/v2/partners/{partner_id} 200": 1,
                    "GET /api/v2/partners/{partner_id}/channels 200": 1,
                    "GET /v1/configs/webhook 200": 7,
                    "GET /v1/configs/webhook 404": 4,
                    "GET /waba_webhook 404": 3,
                ])
            #expect(export.stderr.contains("warning: channel acme04CH: webhook not read (no channel key"))
            #expect(Self.listedVariables(export.stderr).map(\.name) == ["WABAFORM_HEADER_X_HOOK_SECRET"])
            #expect(
                export.stderr.hasSuffix(
                    "exported partner demoPA: 12 channels, 10 rules, \(export.stdout.filter { $0 == "\n" }.count) lines\n"))

            let directory = try CLI.temporaryDirectory()
            try export.stdout.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            #expect(try Self.schemaProblems(ofYAMLFile: directory + "/wabaform.yaml") == nil)
            var planEnv = env
            planEnv.merge(await Self.variableValues(export.stderr, sandbox: sandbox)) { _, new in new }
            let plan = try await CLI.runAsync(["plan", "--detailed-exitcode"], in: directory, environment: planEnv)
            #expect(plan.exitCode == 0, "\(plan.stdout)\n\(plan.stderr)")
            #expect(plan.stdout.hasPrefix("No changes"))
            for secret in await Self.secrets(sandbox) {
                #expect(!export.stdout.contains(secret) && !export.stderr.contains(secret) && !plan.stdout.contains(secret))
            }
        }
    }

    @Test func fleetOfAThousandRoundTripsToNoChanges() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 1_000)) { sandbox in
            let env = environment(for: sandbox)
            let directory = try CLI.temporaryDirectory()
            let file = directory + "/wabaform.yaml"
            let export = try await CLI.runAsync(["export", "--out", file, "--parallelism", "16"], environment: env)
            #expect(export.exitCode == 0, "\(export.stderr)")
            #expect(export.stdout.isEmpty, "with --out, nothing on stdout")
            #expect(writes(sandbox).isEmpty, "export is read-only: \(writes(sandbox))")
            let channels = await sandbox.store.state.channels.values
            let readable = channels.filter { $0.keyPublished != false }
            var expected = fullReadCounts(channels, pages: 2)
            expected["GET /waba_webhook 404"] = Set(readable.map(\.wabaID)).count
            #expect(requestCounts(sandbox) == expected)

            let text = try String(contentsOfFile: file, encoding: .utf8)
            let lines = text.filter { $0 == "\n" }.count
            print(
                "export of \(channels.count) channels: \(lines) lines, \(String(format: "%.2f", Double(lines) / Double(channels.count))) per channel"
            )
            #expect(export.stderr.contains("exported partner demoPA: \(channels.count) channels, "))
            #expect(export.stderr.hasSuffix(" \(lines) lines to \(file)\n"))
            // The fleet's header values: three shared secrets and the demo's one, each a variable.
            let variables = Self.listedVariables(export.stderr)
            #expect(variables.count == 4)
            #expect(try Self.schemaProblems(ofYAMLFile: file) == nil)

            // Export twice: the same bytes.
            let again = try await CLI.runAsync(["export"], environment: env)
            #expect(again.stdout == text)

            var planEnv = env
            planEnv.merge(await Self.variableValues(export.stderr, sandbox: sandbox)) { _, new in new }
            #expect(variables.allSatisfy { planEnv[$0.name] != nil })
            let plan = try await CLI.runAsync(["plan", "--detailed-exitcode", "-f", file, "--parallelism", "16"], environment: planEnv)
            #expect(plan.exitCode == 0, "\(plan.stderr)")
            #expect(plan.stdout.hasPrefix("No changes"), "\(plan.stdout.prefix(2_000))")

            let secrets = await Self.secrets(sandbox)
            #expect(secrets.contains("fleet-secret-0"))
            for secret in secrets {
                #expect(!text.contains(secret) && !export.stderr.contains(secret) && !again.stdout.contains(secret))
            }
        }
    }

    @Test func outRefusesToOverwriteWithoutForce() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let file = try CLI.temporaryDirectory() + "/wabaform.yaml"
            try "keep me\n".write(toFile: file, atomically: true, encoding: .utf8)
            let refused = try await CLI.runAsync(["export", "--out", file], environment: env)
            #expect(refused.exitCode == 1)
            #expect(refused.stderr == "error: \(file) already exists; pass --force to overwrite it\n")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
            #expect(requestCounts(sandbox).isEmpty, "refused before reading anything")

            let forced = try await CLI.runAsync(["export", "--out", file, "--force"], environment: env)
            #expect(forced.exitCode == 0, "\(forced.stderr)")
            #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("# Editors check this file against wabaform's JSON Schema"))

            let fresh = try CLI.temporaryDirectory() + "/new.yaml"
            #expect(try await CLI.runAsync(["export", "--out", fresh], environment: env).exitCode == 0)
            #expect(FileManager.default.fileExists(atPath: fresh))
        }
    }

    @Test func outDirectoryHoldsTheExportAndNothingElse() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let manager = FileManager.default
            // A new directory, named with a trailing /: made, and the export (it fits) is wabaform.yaml.
            let directory = try CLI.temporaryDirectory() + "/exported/"
            let export = try await CLI.runAsync(["export", "--out", directory], environment: env)
            #expect(export.exitCode == 0, "\(export.stderr)")
            #expect(export.stdout.isEmpty)
            #expect(try manager.contentsOfDirectory(atPath: directory) == ["wabaform.yaml"])
            let text = try String(contentsOfFile: directory + "wabaform.yaml", encoding: .utf8)
            #expect(export.stderr.hasSuffix(" \(text.filter { $0 == "\n" }.count) lines to \(directory)wabaform.yaml\n"))

            // Again: the directory holds an export, replaced only with --force.
            let refused = try await CLI.runAsync(["export", "--out", directory], environment: env)
            #expect(refused.exitCode == 1)
            #expect(refused.stderr.contains("already holds an export (wabaform.yaml); pass --force to replace it"), "\(refused.stderr)")

            // An earlier, larger export left parts: --force (the directory named without /)
            // writes this one and removes them, so plan -f DIR reads this export only.
            for part in ["wabaform-001.yaml", "wabaform-002.yaml"] {
                try "version: 1\nchannels:\n  - id: gone01CH\n    local_storage: DE\n".write(
                    toFile: directory + part, atomically: true, encoding: .utf8)
            }
            let forced = try await CLI.runAsync(["export", "--out", String(directory.dropLast()), "--force"], environment: env)
            #expect(forced.exitCode == 0, "\(forced.stderr)")
            #expect(try manager.contentsOfDirectory(atPath: directory) == ["wabaform.yaml"])
            var planEnv = env
            planEnv.merge(await Self.variableValues(forced.stderr, sandbox: sandbox)) { _, new in new }
            let plan = try await CLI.runAsync(["plan", "--detailed-exitcode", "-f", directory], environment: planEnv)
            #expect(plan.exitCode == 0, "\(plan.stdout)\n\(plan.stderr)")

            // Another config file there would be read with the export: refused, even with --force.
            try "version: 1\n".write(toFile: directory + "mine.yml", atomically: true, encoding: .utf8)
            let other = try await CLI.runAsync(["export", "--out", directory, "--force"], environment: env)
            #expect(other.exitCode == 1)
            #expect(other.stderr.contains("holds other config files (mine.yml)"), "\(other.stderr)")
            #expect(try String(contentsOfFile: directory + "wabaform.yaml", encoding: .utf8) == text)

            // Nor is a directory written whose export files are this run's config.
            try manager.removeItem(atPath: directory + "mine.yml")
            let input = try await CLI.runAsync(["export", "-f", directory, "--out", directory, "--force"], environment: planEnv)
            #expect(input.exitCode == 1)
            #expect(input.stderr.contains("wabaform.yaml is an input of this run"), "\(input.stderr)")
        }
    }

    @Test func withAConfigOnlyWhatItManagesIsReadAndWritten() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try """
            version: 1
            partner: { id: demoPA, redirect_url: "https://elsewhere.example.com/done" }
            channels:
              - select: { client.name: "Globex*" }
                local_storage: GB
            """.write(toFile: directory + "/current.yaml", atomically: true, encoding: .utf8)
            let export = try await CLI.runAsync(["export", "-f", "current.yaml"], in: directory, environment: environment(for: sandbox))
            #expect(export.exitCode == 0, "\(export.stderr)")
            #expect(export.stdout.contains("  redirect_url: https://app.example.com/onboarded\n"))
            #expect(!export.stdout.contains("webhook"))
            #expect(export.stdout.contains("local_storage: "))
            #expect(requestCounts(sandbox)["GET /v1/configs/webhook 200"] == nil, "webhooks are not managed, so not read")

            try export.stdout.write(toFile: directory + "/exported.yaml", atomically: true, encoding: .utf8)
            let plan = try await CLI.runAsync(
                ["plan", "--detailed-exitcode", "-f", "exported.yaml"], in: directory, environment: environment(for: sandbox))
            #expect(plan.exitCode == 0, "\(plan.stdout)\n\(plan.stderr)")
        }
    }

    @Test func errorsExitOne() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            var env = environment(for: sandbox)
            env["WABAFORM_PARTNER_ID"] = nil
            let noPartner = try await CLI.runAsync(["export"], environment: env)
            #expect(noPartner.exitCode == 1)
            #expect(noPartner.stderr.contains("error: no partner id: set WABAFORM_PARTNER_ID"))

            env = environment(for: sandbox)
            env["WABAFORM_API_KEY"] = "wrong-key-789"
            let wrongKey = try await CLI.runAsync(["export"], environment: env)
            #expect(wrongKey.exitCode == 1)
            #expect(wrongKey.stdout.isEmpty)
            #expect(wrongKey.stderr.contains("WABAFORM_API_KEY") && !wrongKey.stderr.contains("wrong-key-789"))

            let strict = try await CLI.runAsync(["export", "--strict"], environment: environment(for: sandbox))
            #expect(strict.exitCode == 1, "acme04CH's webhook cannot be read")
            #expect(strict.stdout.isEmpty)
            #expect(strict.stderr.contains("error: channel acme04CH: webhook not read"))
        }
    }

    @Test func helpListsExportAfterDrift() throws {
        let help = try CLI.run(["--help"])
        let names = ["validate", "plan", "apply", "drift", "export", "sandbox"].compactMap { help.stdout.range(of: "  \($0) ")?.lowerBound }
        #expect(names.count == 6 && names == names.sorted(), "\(help.stdout)")
    }
}
