import Foundation
import PartnerSandbox
import Testing
import WabaformTestSupport

@Suite struct PlanCommandTests {
    static let quickstart = ["-f", CLI.packageRoot.appendingPathComponent("examples/quickstart").path]

    @Test func quickstartPlanOnTheEmbeddedSandbox() async throws {
        let directory = try CLI.temporaryDirectory()
        let result = try await CLI.runAsync(["plan", "--sandbox"] + Self.quickstart, in: directory)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try Golden.check(result.stdout, against: "quickstart-plan.txt")
        #expect(result.stderr.contains("warning: channel.acme04CH.webhook is unknown: no channel key"))
        // The sandbox state is kept in the working directory, so later runs see earlier applies.
        #expect(FileManager.default.fileExists(atPath: directory + "/.wabaform/sandbox.json"))
        let detailed = try await CLI.runAsync(["plan", "--sandbox", "--detailed-exitcode"] + Self.quickstart, in: directory)
        #expect(detailed.exitCode == 2)
    }

    @Test func sameResultUnderFailuresAndThrottling() async throws {
        let calm = try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            try await CLI.runAsync(["plan", "--format", "json"] + Self.quickstart, environment: environment(for: sandbox))
        }
        let faults = FaultSettings(failRate: 0.2, throttleRate: 0.2, retryAfterSeconds: 1, seed: 7)
        try await Sandbox.withRunning(try sandboxConfiguration(faults: faults)) { sandbox in
            let stormy = try await CLI.runAsync(["plan", "--format", "json"] + Self.quickstart, environment: environment(for: sandbox))
            #expect(stormy.exitCode == calm.exitCode)
            #expect(stormy.stdout == calm.stdout)
            let counts = requestCounts(sandbox)
            #expect(
                counts.keys.contains { $0.hasSuffix(" 503") } && counts.keys.contains { $0.hasSuffix(" 429") },
                "faults were injected: \(counts)")
        }
        #expect(calm.exitCode == 0)
    }

    /// `wabaform plan -f examples/quickstart` against a fresh sandbox, with `overrides` in its environment.
    static func planQuickstart(overriding overrides: [String: String]) async throws -> CLI.Result {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            try await CLI.runAsync(["plan"] + Self.quickstart, environment: environment(for: sandbox).merging(overrides) { $1 })
        }
    }

    @Test func wrongPartnerKeyExitsOneNamingTheVariable() async throws {
        let result = try await Self.planQuickstart(overriding: ["WABAFORM_API_KEY": "wrong-key-value-123"])
        #expect(result.exitCode == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("401 Invalid API key"))
        #expect(result.stderr.contains("WABAFORM_API_KEY"))
        #expect(!result.stderr.contains("wrong-key-value-123"))
    }

    @Test func missingCredentialsSayWhichVariable() async throws {
        let result = try await CLI.runAsync(
            ["plan"] + Self.quickstart,
            environment: ["WABAFORM_API_URL": "http://127.0.0.1:9/api/v2", "WABAFORM_MESSAGING_URL": "http://127.0.0.1:9"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("WABAFORM_API_KEY"))
    }

    @Test func unreachableAPIExitsOneWithinTheTimeout() async throws {
        let start = ContinuousClock.now
        let result = try await CLI.runAsync(
            ["plan", "--timeout", "2"] + Self.quickstart,
            environment: [
                "WABAFORM_API_URL": "http://127.0.0.1:9/api/v2", "WABAFORM_MESSAGING_URL": "http://127.0.0.1:9", "WABAFORM_API_KEY": "k",
            ])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("127.0.0.1:9"), "\(result.stderr)")
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func plainHTTPToARemoteHostIsRefused() async throws {
        let result = try await CLI.runAsync(
            ["plan"] + Self.quickstart,
            environment: ["WABAFORM_API_URL": "http://hub.example.com/api/v2", "WABAFORM_API_KEY": "k"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("http://"), "\(result.stderr)")
    }

    @Test func missingChannelKeyIsUnknownAndAnErrorWithStrict() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let result = try await CLI.runAsync(["plan"] + Self.quickstart, environment: environment(for: sandbox))
            #expect(result.exitCode == 0)
            #expect(result.stdout.contains("? channel.acme04CH.webhook: no channel key"))
            let strict = try await CLI.runAsync(["plan", "--strict"] + Self.quickstart, environment: environment(for: sandbox))
            #expect(strict.exitCode == 1)
            #expect(strict.stderr.contains("error: channel.acme04CH.webhook is unknown"))
            // A key from WABAFORM_CHANNEL_KEY_<ID> fills the gap.
            var env = environment(for: sandbox)
            env["WABAFORM_CHANNEL_KEY_acme04CH"] = await sandbox.store.state.channels["acme04CH"]!.apiKey
            let keyed = try await CLI.runAsync(["plan", "--strict"] + Self.quickstart, environment: env)
            #expect(keyed.exitCode == 0, "\(keyed.stderr)")
            #expect(!keyed.stdout.contains("acme04CH"))
        }
    }

    @Test func rejectedChannelKeyMakesThatChannelUnknown() async throws {
        let result = try await Self.planQuickstart(overriding: ["WABAFORM_CHANNEL_KEY_acme02CH": "revoked-key-456"])
        #expect(result.exitCode == 0)
        #expect(result.stderr.contains("warning: the key for 1 channel was rejected (acme02CH); a newer key may have been generated"))
        #expect(result.stdout.contains("? channel.acme02CH.webhook: the key for acme02CH was rejected"))
        #expect(result.stdout.contains("channel acme03CH"), "the rest of the plan is still shown")
        #expect(!result.stderr.contains("revoked-key-456") && !result.stdout.contains("revoked-key-456"))
    }

    @Test func requestEconomy() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 1_500)) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try """
            version: 1
            partner: { id: demoPA }
            channels:
              - select: all
                webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
              - select: { client.name: "Globex*" }
                local_storage: GB
            """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let result = try await CLI.runAsync(["plan", "--parallelism", "16"], in: directory, environment: environment(for: sandbox))
            #expect(result.exitCode == 0, "\(result.stderr)")
            // 1,512 channels: 2 list pages of 1,000; one webhook read per channel with a published
            // key (all but acme04CH), answered 200 or 404 (no webhook); one partner read; nothing else.
            let channels = await sandbox.store.state.channels.values
            #expect(channels.filter { $0.keyPublished != false }.count == 1_511)
            #expect(requestCounts(sandbox) == fullReadCounts(channels, pages: 2))
        }
    }

    @Test func formatsAndSavedPlan() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try CLI.temporaryDirectory()
            let json = try await CLI.runAsync(
                ["plan", "--format", "json", "--out", directory + "/plan.json"] + Self.quickstart, environment: environment(for: sandbox))
            #expect(json.exitCode == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["format_version"] as? String == "1")
            #expect((object["summary"] as? [String: Int])?["replace"] == 1)
            try json.stdout.write(toFile: directory + "/stdout.json", atomically: true, encoding: .utf8)
            #expect(
                try JSONSchemaCheck.validate(
                    schema: CLI.packageRoot.appendingPathComponent("schemas/plan.schema.json").path, instance: directory + "/stdout.json")
                    == nil)
            let saved = try String(contentsOfFile: directory + "/plan.json", encoding: .utf8)
            #expect(saved.contains("\"config_digest\" : \"hmac-sha256:"))
            #expect(saved.contains("\"partner_id\" : \"demoPA\""))

            let markdown = try await CLI.runAsync(
                ["plan", "--format", "markdown"] + Self.quickstart, environment: environment(for: sandbox))
            #expect(markdown.stdout.hasPrefix("### wabaform plan for partner `demoPA`"))
            #expect(markdown.stdout.contains("| -/+ | `channel.globex02CH.local_storage` |"))
        }
    }

    @Test func noChangesExitsZeroEvenWithDetailedExitcode() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try
                "version: 1\npartner:\n  id: demoPA\n  redirect_url: https://app.example.com/onboarded\nchannels:\n  - id: acme01CH\n    local_storage: de\n"
                .write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let result = try await CLI.runAsync(["plan", "--detailed-exitcode"], in: directory, environment: environment(for: sandbox))
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("No changes: live state matches the configuration."))
        }
    }

    @Test func planTimeErrorsAreLocated() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try """
            version: 1
            partner: { id: demoPA }
            channels:
              - id: ghostCH
                local_storage: DE
              - select: { client.name: "Acme*" }
                local_storage: DE
              - select: { status: ready }
                local_storage: GB
            """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let result = try await CLI.runAsync(["plan"], in: directory, environment: environment(for: sandbox))
            #expect(result.exitCode == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("wabaform.yaml:4:5: error: no channel of partner demoPA has id ghostCH"))
            #expect(
                result.stderr.contains(
                    "wabaform.yaml:9:5: error: rules at wabaform.yaml:7:5 and wabaform.yaml:9:5 (both select map) give channel acme01CH different local_storage values"
                ))
        }
    }
}

@Suite struct ColorTests {
    @Test func colourOnlyWhenAskedOrOnATerminalWithoutNoColor() async throws {
        let directory = try CLI.temporaryDirectory()
        let quickstart = PlanCommandTests.quickstart
        let always = try await CLI.runAsync(["plan", "--sandbox", "--color", "always"] + quickstart, in: directory)
        #expect(always.stdout.contains("\u{1B}[32m+\u{1B}[0m"))
        // Not a terminal (a pipe): no colour with auto; never with NO_COLOR or --color never.
        let auto = try await CLI.runAsync(["plan", "--sandbox"] + quickstart, in: directory)
        #expect(!auto.stdout.contains("\u{1B}["))
        let never = try await CLI.runAsync(["plan", "--sandbox", "--color", "never"] + quickstart, in: directory)
        #expect(!never.stdout.contains("\u{1B}["))
    }
}
