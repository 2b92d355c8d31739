import AsyncHTTPClient
import Foundation
import PartnerSandbox
import Testing

/// Requests that change something, from the sandbox's stats.
func writes(_ sandbox: RunningSandbox) -> [String: Int] {
    requestCounts(sandbox).filter { !$0.key.hasPrefix("GET ") }
}

@Suite struct ApplyCommandTests {
    static let quickstart = PlanCommandTests.quickstart

    @Test func everyExamplePlanApplyPlanIsEmptyAndApplyTwiceWritesNothing() async throws {
        for (name, config) in try Examples.configs() {
            let files = ["-f", config]
            try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
                let env = environment(for: sandbox).merging(Examples.environment) { sandboxValue, _ in sandboxValue }
                let apply = try await CLI.runAsync(
                    ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change"] + files, environment: env)
                #expect(apply.exitCode == 0, "\(name): \(apply.stderr)")
                #expect(apply.stdout.contains("0 failed, 0 skipped"))
                let plan = try await CLI.runAsync(["plan", "--detailed-exitcode"] + files, environment: env)
                #expect(plan.exitCode == 0, "\(name): plan after apply: \(plan.stdout)")
                sandbox.stats.reset()
                let again = try await CLI.runAsync(["apply", "--auto-approve"] + files, environment: env)
                #expect(again.exitCode == 0)
                #expect(again.stdout.contains("No changes"))
                #expect(writes(sandbox).isEmpty, "\(name): the second apply wrote \(writes(sandbox))")
            }
        }
    }

    @Test func jsonLedgerListsEveryChangeWithItsOutcome() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let result = try await CLI.runAsync(
                ["apply", "--auto-approve", "--allow-disruptive", "--format", "json"] + Self.quickstart,
                environment: environment(for: sandbox))
            #expect(result.exitCode == 0)
            let ledger = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let changes = try #require(ledger["changes"] as? [[String: Any]])
            #expect(changes.count == 12)
            #expect(changes.allSatisfy { $0["outcome"] as? String == "applied" })
            #expect((ledger["summary"] as? [String: Int]) == ["applied": 12, "failed": 0, "skipped": 0])
            #expect(result.stderr.contains("Plan: 6 to create"), "the plan goes to stderr with --format json")
        }
    }

    @Test func savedPlanAppliesWhenNothingMoved() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let file = try CLI.temporaryDirectory() + "/plan.json"
            #expect(try await CLI.runAsync(["plan", "--out", file] + Self.quickstart, environment: env).exitCode == 0)
            let apply = try await CLI.runAsync(["apply", file, "--allow-disruptive"] + Self.quickstart, environment: env)
            #expect(apply.exitCode == 0, "\(apply.stderr)")
            #expect(apply.stdout.contains("12 applied"))
            // The saved plan remembers its config files: -f is optional.
            let again = try await CLI.runAsync(["apply", file, "--allow-disruptive"], environment: env)
            #expect(again.exitCode == 4, "live state moved (the plan was applied)")
        }
    }

    @Test func aChangeBehindWabaformsBackBlocksTheSavedPlan() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let file = try CLI.temporaryDirectory() + "/plan.json"
            #expect(try await CLI.runAsync(["plan", "--out", file] + Self.quickstart, environment: env).exitCode == 0)
            // Someone changes acme02CH's webhook directly.
            let http = try await directWebhookChange(sandbox, channel: "acme02CH", url: "https://someone-else.example.com/x")
            #expect(http == 200)
            sandbox.stats.reset()
            let apply = try await CLI.runAsync(["apply", file, "--allow-disruptive"] + Self.quickstart, environment: env)
            #expect(apply.exitCode == 4)
            #expect(apply.stderr.contains("channel.acme02CH.webhook: the live value changed since the plan was made"))
            #expect(apply.stderr.contains("Apply blocked: nothing was changed."))
            #expect(writes(sandbox).isEmpty, "wrote \(writes(sandbox))")
        }
    }

    @Test func aChangedConfigOrOtherEndpointsBlockTheSavedPlan() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let directory = try CLI.temporaryDirectory()
            try
                "version: 1\npartner: { id: demoPA }\nchannels:\n  - select: all\n    webhook:\n      url: https://hooks.example.com/wa/{channel_id}\n      headers: { X-S: \"${S}\" }\n"
                .write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            var first = env
            first["S"] = "one"
            #expect(try await CLI.runAsync(["plan", "--out", "plan.json"], in: directory, environment: first).exitCode == 0)
            var changed = env
            changed["S"] = "two"
            sandbox.stats.reset()
            let apply = try await CLI.runAsync(["apply", "plan.json", "--allow-mass-change"], in: directory, environment: changed)
            #expect(apply.exitCode == 4)
            #expect(apply.stderr.contains("the configuration changed since the plan was made"))
            #expect(!apply.stderr.contains("one") || !apply.stderr.contains("two"), "secret values are not printed")
            #expect(writes(sandbox).isEmpty)
        }
    }

    @Test func dryRunSendsNoWrite() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let result = try await CLI.runAsync(["apply", "--dry-run"] + Self.quickstart, environment: environment(for: sandbox))
            #expect(result.exitCode == 0)
            #expect(result.stdout.contains("Dry run: apply would send these 12 request(s) and sends none"))
            #expect(
                result.stdout.contains(
                    "POST \(sandbox.apiURL)/partners/demoPA/clients/globexCL/channels/globex02CH/control/disable_local_storage"))
            #expect(
                result.stdout.contains(#"{"headers":{"X-Hook-Secret":"(sensitive)"},"url":"https://hooks.example.com/wa/initech03CH"}"#))
            #expect(result.stderr.contains("apply would stop here"), "the disruptive guard is reported")
            #expect(writes(sandbox).isEmpty)
        }
    }

    @Test func guardsBlockBeforeAnyWrite() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let env = environment(for: sandbox)
            let disruptive = try await CLI.runAsync(["apply", "--auto-approve"] + Self.quickstart, environment: env)
            #expect(disruptive.exitCode == 4)
            #expect(disruptive.stderr.contains("pass --allow-disruptive"))
            #expect(disruptive.stdout.contains("Plan: 6 to create"), "the plan is printed before the guard")
            let noTerminal = try await CLI.runAsync(["apply", "--allow-disruptive"] + Self.quickstart, environment: env)
            #expect(noTerminal.exitCode == 4)
            #expect(noTerminal.stderr.contains("no terminal to confirm on: pass --auto-approve"))
            #expect(writes(sandbox).isEmpty)
        }
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 40)) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try
                "version: 1\npartner: { id: demoPA }\nchannels:\n  - select: all\n    webhook: { url: \"https://new.example.com/{channel_id}\" }\n"
                .write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let mass = try await CLI.runAsync(["apply", "--auto-approve"], in: directory, environment: environment(for: sandbox))
            #expect(mass.exitCode == 4)
            #expect(mass.stderr.contains("the plan changes the webhook of 51 of 52 channels"))
            #expect(mass.stderr.contains("pass --allow-mass-change"))
            #expect(writes(sandbox).isEmpty)
        }
    }

    @Test(arguments: [("no", Int32(4)), ("yes", Int32(0))])
    func thePromptAcceptsOnlyYes(answer: String, exitCode: Int32) async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            // script(1) gives wabaform a terminal, so it asks.
            var command = "'\(try CLI.executable().path)' apply --allow-disruptive"
            for argument in Self.quickstart { command += " '\(argument)'" }
            let result = try await runInTerminal(command, input: answer + "\n", environment: environment(for: sandbox))
            #expect(result.exitCode == exitCode, "\(result.output)")
            #expect(result.output.contains("Only 'yes' is accepted"))
            if exitCode == 4 {
                #expect(result.output.contains("apply cancelled"))
                #expect(writes(sandbox).isEmpty)
            } else {
                #expect(result.output.contains("12 applied"))
            }
        }
    }
}

/// Runs a shell command on a pseudo-terminal (util-linux script) with `input` typed in.
func runInTerminal(_ command: String, input typed: String, environment: [String: String]) async throws -> (exitCode: Int32, output: String)
{
    let result = try await CLI.offPool {
        try CLI.collect(
            CLI.process(
                URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], in: nil,
                environment: environment.merging(["TERM": "dumb"]) { _, new in new }),
            stdin: typed)
    }
    return (result.exitCode, result.stdout + result.stderr)
}

/// Changes a channel's webhook directly, as someone else would, behind wabaform's back.
func directWebhookChange(_ sandbox: RunningSandbox, channel: String, url: String) async throws -> Int {
    let key = await sandbox.store.state.channels[channel]!.apiKey
    var request = HTTPClientRequest(url: sandbox.messagingURL + "/v1/configs/webhook")
    request.method = .POST
    request.headers.add(name: "D360-API-KEY", value: key)
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(.init(string: #"{"url": "\#(url)"}"#))
    return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code)
}
