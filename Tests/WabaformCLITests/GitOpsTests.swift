import Foundation
import PartnerSandbox
import Testing
import WabaformTestSupport

/// The GitOps examples work: their shared script runs each pipeline step against the sandbox in
/// order, and the workflow files are valid for their CI systems.
@Suite struct GitOpsTests {
    static let gitops = Examples.root.appendingPathComponent("gitops")

    /// A repository laid out as docs/gitops.md says: wabaform/ and ci/wabaform-ci.sh.
    static func repository() throws -> String {
        let directory = try CLI.temporaryDirectory()
        let manager = FileManager.default
        try manager.copyItem(atPath: gitops.appendingPathComponent("wabaform").path, toPath: directory + "/wabaform")
        try manager.createDirectory(atPath: directory + "/ci", withIntermediateDirectories: true)
        try manager.copyItem(atPath: gitops.appendingPathComponent("wabaform-ci.sh").path, toPath: directory + "/ci/wabaform-ci.sh")
        return directory
    }

    @Test func walkthroughOfEveryPipelineStep() async throws {
        let receiver = NotificationReceiver()
        try await receiver.withRunning { hooks in
            try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
                let repo = try Self.repository()
                let keys = try String(contentsOfFile: sandbox.keysFilePath!, encoding: .utf8)
                var env = environment(for: sandbox)
                env["WABAFORM_CHANNEL_KEYS_FILE"] = nil
                env["WABAFORM_CHANNEL_KEYS"] = keys  // as a CI secret variable holds it
                env["HOOK_SECRET"] = "gitops-hook-secret-value"
                env["WABAFORM_BIN"] = try CLI.executable().path
                env["GITHUB_STEP_SUMMARY"] = repo + "/summary.md"
                env["GITHUB_OUTPUT"] = repo + "/output.txt"
                func step(_ name: String, _ extra: [String: String] = [:]) async throws -> CLI.Result {
                    try await CLI.runProgram(
                        "/bin/bash", ["ci/wabaform-ci.sh", name], in: repo, environment: env.merging(extra) { _, new in new })
                }

                // Pull request: validate, plan (saved plan + Markdown comment + job summary).
                #expect(try await step("validate").exitCode == 0)
                let plan = try await step("plan")
                #expect(plan.exitCode == 0, "\(plan.stderr)")
                let saved = try String(contentsOfFile: repo + "/wabaform-plan.json", encoding: .utf8)
                #expect(saved.contains("\"wabaform_saved_plan\" : \"2\""))
                let comment = try String(contentsOfFile: repo + "/wabaform-plan.md", encoding: .utf8)
                #expect(comment.hasPrefix("<!-- wabaform-plan -->\n### wabaform plan for partner `demoPA`"))
                #expect(
                    try String(contentsOfFile: repo + "/summary.md", encoding: .utf8).hasPrefix("### wabaform plan for partner `demoPA`"))
                #expect(try String(contentsOfFile: repo + "/output.txt", encoding: .utf8) == "changes=true\n")
                for text in [saved, comment, plan.stdout, plan.stderr] {
                    #expect(!text.contains("gitops-hook-secret-value") && !text.contains("sbx_ck_"))
                }

                // Merge: the reviewed plan changes most webhooks, so it needs a reviewer's label.
                let blocked = try await step("apply")
                #expect(blocked.exitCode == 4)
                #expect(blocked.stderr.contains("pass --allow-mass-change"))
                let apply = try await step("apply", ["WABAFORM_APPLY_FLAGS": "--allow-mass-change"])
                #expect(apply.exitCode == 0, "\(apply.stderr)")
                #expect(apply.stdout.contains("0 failed, 0 skipped"))
                // The same plan again: live state moved (it was applied), so it is refused.
                #expect(try await step("apply", ["WABAFORM_APPLY_FLAGS": "--allow-mass-change"]).exitCode == 4)

                // Schedule: in sync, no message; then a change behind wabaform's back.
                let clean = try await step("drift", ["WABAFORM_NOTIFY_URL": hooks + "/hook"])
                #expect(clean.exitCode == 0, "\(clean.stdout)\(clean.stderr)")
                #expect(receiver.received.isEmpty)
                #expect(try await directWebhookChange(sandbox, channel: "initech02CH", url: "https://moved.example.com/x") == 200)
                let drift = try await step("drift", ["WABAFORM_NOTIFY_URL": hooks + "/hook"])
                #expect(drift.exitCode == 2)
                #expect(receiver.received.count == 1)
                #expect(receiver.received.first?.contains("channel.initech02CH") == true)
                // A plan file that is missing stops apply before anything happens.
                try FileManager.default.removeItem(atPath: repo + "/wabaform-plan.json")
                #expect(try await step("apply").exitCode == 4)
            }
        }
    }

    @Test func kubernetesCronJobRunsTheDriftCommandItDeclares() async throws {
        let text = try String(contentsOf: Self.gitops.appendingPathComponent("kubernetes/wabaform-drift-cronjob.yaml"), encoding: .utf8)
        let argsLine = try #require(text.split(separator: "\n").first { $0.contains("args: [") })
        let args = try #require(
            try JSONSerialization.jsonObject(with: Data(argsLine.split(separator: ":", maxSplits: 1)[1].utf8)) as? [String])
        #expect(args.first == "drift")
        let receiver = NotificationReceiver()
        let volume = try CLI.temporaryDirectory()
        try await receiver.withRunning { hooks in
            try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
                // The channel keys as the mounted Secret: a directory in kubelet's layout.
                let keys =
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: URL(fileURLWithPath: sandbox.keysFilePath ?? ""))) as? [String: String] ?? [:]
                let secret = try CLI.temporaryDirectory() + "/channel-keys"
                try KubernetesSecretVolume.write(keys, to: secret)
                let resolved = args.map {
                    $0.replacingOccurrences(of: "/etc/wabaform/config", with: Self.gitops.appendingPathComponent("wabaform").path)
                        .replacingOccurrences(of: "/etc/wabaform/channel-keys", with: secret)
                        .replacingOccurrences(of: "$(WABAFORM_NOTIFY_URL)", with: hooks + "/hook")
                        .replacingOccurrences(of: "/var/lib/wabaform", with: volume)
                }
                #expect(resolved.contains(secret))
                var env = environment(for: sandbox).merging(Examples.environment) { a, _ in a }
                env["WABAFORM_CHANNEL_KEYS_FILE"] = nil
                let result = try await CLI.runAsync(resolved, environment: env)
                #expect(result.exitCode == 2, "\(result.stderr)")
                #expect(receiver.received.count == 1)
                // The next hourly Job finds the state on the volume: the same drift is not posted again.
                let again = try await CLI.runAsync(
                    resolved, environment: environment(for: sandbox).merging(Examples.environment) { a, _ in a })
                #expect(again.exitCode == 2)
                #expect(receiver.received.count == 1)
            }
        }
    }

    @Test(arguments: [
        ("github-actions/wabaform-plan.yml", "vendor.github-workflows"),
        ("github-actions/wabaform-apply.yml", "vendor.github-workflows"),
        ("github-actions/wabaform-drift.yml", "vendor.github-workflows"),
        ("gitlab-ci.yml", "vendor.gitlab-ci"),
    ])
    func workflowFilesAreValidForTheirCISystem(file: String, schema: String) async throws {
        let path = Self.gitops.appendingPathComponent(file).path
        let result = try await CLI.runProgram(
            "/usr/bin/env", ["check-jsonschema", "--builtin-schema", schema, path], in: CLI.packageRoot.path, environment: [:])
        #expect(result.exitCode == 0, "check-jsonschema (pip install check-jsonschema): \(result.stdout)\(result.stderr)")
        // Every step they run is one the shared script knows: called directly, or through the
        // GitHub Action (action.yml runs the same script; ActionTests runs it).
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let steps = (text.components(separatedBy: "ci/wabaform-ci.sh ").dropFirst() + text.components(separatedBy: "command: ").dropFirst())
            .map { String($0.prefix { $0.isLetter }) }
        #expect(!steps.isEmpty)
        #expect(Set(steps).isSubset(of: ["validate", "plan", "apply", "drift"]), "\(steps)")
    }
}
