import Foundation
import PartnerSandbox
import Testing

/// One channel whose reads fail after every retry (the sandbox's `--fail-channel`): plan and
/// drift report it as an error and show the rest; apply applies the rest and lists it as
/// skipped (exit 3); export refuses to write an incomplete file; when reads keep failing in a
/// row, every command stops early and apply writes nothing.
@Suite(.serialized) struct UnreadableChannelTests {
    static let quickstart = PlanCommandTests.quickstart
    static let unreadable = "channel.acme02CH.webhook: reading its live value failed after every retry"

    static func configuration(state: String, failing: Set<String>) -> SandboxConfiguration {
        SandboxConfiguration(statePath: state, faults: FaultSettings(failChannels: failing))
    }

    static func ledger(_ json: String) throws -> [String: [String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json.prefix(500))")
        let rows = try #require(object["changes"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["address"] as? String ?? "", $0) })
    }

    @Test func planAndDriftShowTheRestAndExit1() async throws {
        let state = try CLI.temporaryDirectory() + "/sandbox.json"
        try await Sandbox.withRunning(Self.configuration(state: state, failing: ["acme02CH"])) { sandbox in
            let env = environment(for: sandbox)
            let plan = try await CLI.runAsync(["plan"] + Self.quickstart, environment: env)
            #expect(plan.exitCode == 1)
            #expect(plan.stderr.contains("error: " + Self.unreadable), "\(plan.stderr)")
            #expect(plan.stderr.contains("503 Channel acme02CH is unavailable"))
            #expect(plan.stdout.contains("channel globex04CH"), "the rest of the plan is shown")
            #expect(plan.stdout.contains("? channel.acme02CH.webhook: reading it failed after every retry"))
            #expect(plan.stdout.contains("Plan: 6 to create, 3 to update, 1 to delete, 1 to replace; 2 unknown."), "\(plan.stdout)")

            let drift = try await CLI.runAsync(["drift"] + Self.quickstart, environment: env)
            #expect(drift.exitCode == 1, "drift cannot say in sync or drifted: \(drift.stdout)")
            #expect(drift.stderr.contains(Self.unreadable))
        }
    }

    @Test func applyAppliesTheRestListsItSkippedAndARerunConverges() async throws {
        let state = try CLI.temporaryDirectory() + "/sandbox.json"
        try await Sandbox.withRunning(Self.configuration(state: state, failing: ["acme02CH"])) { sandbox in
            let apply = try await CLI.runAsync(
                ["apply", "--auto-approve", "--allow-disruptive", "--format", "json"] + Self.quickstart,
                environment: environment(for: sandbox))
            #expect(apply.exitCode == 3, "\(apply.stderr)")
            let ledger = try Self.ledger(apply.stdout)
            #expect(ledger.count == 12)
            let skipped = try #require(ledger["channel.acme02CH.webhook"])
            #expect(skipped["outcome"] as? String == "skipped")
            #expect(skipped["action"] == nil, "not planned, so no action")
            #expect(
                (skipped["reason"] as? String)?.hasPrefix(
                    "nothing was written: reading it failed after every retry: GET webhook of channel acme02CH") == true, "\(skipped)")
            #expect(ledger.filter { $0.value["outcome"] as? String == "applied" }.count == 11)
            #expect(writes(sandbox).keys.allSatisfy { !$0.contains("configs/webhook") || $0.hasPrefix("POST") })
        }
        // The channel recovers: the next apply writes just that webhook.
        try await Sandbox.withRunning(Self.configuration(state: state, failing: [])) { sandbox in
            let env = environment(for: sandbox)
            let text = try await CLI.runAsync(["apply", "--auto-approve"] + Self.quickstart, environment: env)
            #expect(text.exitCode == 0, "\(text.stderr)")
            #expect(text.stdout.contains("applied  channel.acme02CH.webhook (update)"), "\(text.stdout)")
            #expect(text.stdout.contains("Apply: 1 applied, 0 failed, 0 skipped."))
            #expect(try await CLI.runAsync(["plan", "--detailed-exitcode"] + Self.quickstart, environment: env).exitCode == 0)
        }
    }

    @Test func savedPlanSkipsTheUnreadableChangeWithItsPlannedAction() async throws {
        let directory = try CLI.temporaryDirectory()
        let state = directory + "/sandbox.json", planFile = directory + "/plan.json"
        let port = try await Sandbox.withRunning(Self.configuration(state: state, failing: [])) { sandbox in
            let plan = try await CLI.runAsync(["plan", "--out", planFile] + Self.quickstart, environment: environment(for: sandbox))
            #expect(plan.exitCode == 0, "\(plan.stderr)")
            return sandbox.port
        }
        // The same endpoints as the plan (they are bound into it): the same port.
        var second = Self.configuration(state: state, failing: ["acme02CH"])
        second.port = port
        try await Sandbox.withRunning(second) { sandbox in
            let apply = try await CLI.runAsync(
                ["apply", planFile, "--allow-disruptive", "--format", "json"], environment: environment(for: sandbox))
            #expect(apply.exitCode == 3, "not blocked (exit 4): a failed read is not a moved value. \(apply.stderr)")
            let ledger = try Self.ledger(apply.stdout)
            #expect(ledger["channel.acme02CH.webhook"]?["outcome"] as? String == "skipped")
            #expect(ledger["channel.acme02CH.webhook"]?["action"] as? String == "update", "the saved plan's action")
            #expect(ledger.filter { $0.value["outcome"] as? String == "applied" }.count == 11)
        }
    }

    @Test func exportRefusesToWriteAnIncompleteFile() async throws {
        let state = try CLI.temporaryDirectory() + "/sandbox.json"
        try await Sandbox.withRunning(Self.configuration(state: state, failing: ["acme02CH"])) { sandbox in
            let out = try CLI.temporaryDirectory() + "/export.yaml"
            let env = environment(for: sandbox).merging(["WABAFORM_PARTNER_ID": "demoPA"]) { $1 }
            let export = try await CLI.runAsync(["export", "--out", out], environment: env)
            #expect(export.exitCode == 1)
            #expect(export.stderr.contains("1 webhook read(s) failed after every retry, so the export is not written"), "\(export.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// Five reads failing in a row mean the API is failing, not one channel: stop reading.
    @Test func readsFailingInARowStopTheRunAndApplyWritesNothing() async throws {
        let state = try CLI.temporaryDirectory() + "/sandbox.json"
        // In id order with --parallelism 1: acme01, acme02, acme03, (acme04 has no key), globex01, globex02.
        let failing: Set<String> = ["acme01CH", "acme02CH", "acme03CH", "globex01CH", "globex02CH"]
        try await Sandbox.withRunning(Self.configuration(state: state, failing: failing)) { sandbox in
            let env = environment(for: sandbox)
            let apply = try await CLI.runAsync(
                ["apply", "--auto-approve", "--allow-disruptive", "--parallelism", "1"] + Self.quickstart, environment: env)
            #expect(apply.exitCode == 1)
            #expect(
                apply.stderr.contains("5 reads failed, the last 5 in a row, so wabaform stopped reading (the API seems to be failing)"),
                "\(apply.stderr)")
            #expect(apply.stderr.contains("Apply stopped before any write: nothing was changed."))
            #expect(writes(sandbox).isEmpty, "\(writes(sandbox))")
            let webhookReads = requestCounts(sandbox).filter { $0.key.hasPrefix("GET ") && $0.key.contains("configs/webhook") }
            #expect(webhookReads.values.reduce(0, +) == 25, "5 channels x 5 attempts, then no more reads: \(webhookReads)")
        }
    }
}
