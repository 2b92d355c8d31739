import Foundation
import PartnerSandbox
import Testing

/// action.yml, the composite GitHub Action: valid for GitHub, and run step by step (ActionRunner)
/// it installs a release made as scripts/release.sh makes them and runs the GitOps steps against
/// the sandbox.
@Suite struct ActionTests {
    @Test func actionIsValidAgainstGitHubsSchema() async throws {
        let result = try await CLI.runProgram(
            "/usr/bin/env", ["check-jsonschema", "--builtin-schema", "vendor.github-actions", "action.yml"], in: CLI.packageRoot.path,
            environment: [:])
        #expect(result.exitCode == 0, "check-jsonschema (pip install check-jsonschema): \(result.stdout)\(result.stderr)")
    }

    /// The example workflows use the action, with inputs it declares and a command it runs.
    @Test(arguments: ["wabaform-plan.yml", "wabaform-apply.yml", "wabaform-drift.yml"])
    func exampleWorkflowsUseTheAction(file: String) async throws {
        let action = try await ActionRunner.action()
        let inputs = try #require(action["inputs"] as? [String: [String: Any]])
        let required = Set(inputs.filter { $0.value["required"] as? Bool == true }.keys)
        let workflow = try await ActionRunner.loadYAML(GitOpsTests.gitops.appendingPathComponent("github-actions/" + file).path)
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        let uses = jobs.values.flatMap { $0["steps"] as? [[String: Any]] ?? [] }.filter {
            ($0["uses"] as? String)?.hasPrefix("OWNER/wabaform@v") == true
        }
        #expect(!uses.isEmpty, "\(file) does not use the wabaform action")
        for step in uses {
            let with = step["with"] as? [String: Any] ?? [:]
            #expect(Set(with.keys).isSubset(of: inputs.keys), "\(file): inputs action.yml does not declare")
            #expect(required.isSubset(of: with.keys), "\(file): missing required inputs")
            #expect(["validate", "plan", "apply", "drift"].contains(with["command"] as? String ?? ""))
        }
        #expect(
            !(try Packaging.read("examples/gitops/github-actions/" + file)).contains("curl"), "\(file) still downloads wabaform by hand")
    }

    /// The repository a workflow runs (docs/gitops.md): the config in wabaform/.
    static func workspace() throws -> String {
        let directory = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(
            atPath: GitOpsTests.gitops.appendingPathComponent("wabaform").path, toPath: directory + "/wabaform")
        return directory
    }

    @Test func installsTheReleaseAndRunsEveryStepAgainstTheSandbox() async throws {
        let version = try Packaging.binaryVersion()
        let release = try await Packaging.release(version: version)
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let workspace = try Self.workspace()
            let keys = try String(contentsOfFile: sandbox.keysFilePath!, encoding: .utf8)
            var job = environment(for: sandbox)
            job["WABAFORM_CHANNEL_KEYS_FILE"] = nil
            job["WABAFORM_API_KEY"] = nil  // given as an input below
            job["HOOK_SECRET"] = "action-hook-secret-value"
            job["GITHUB_STEP_SUMMARY"] = workspace + "/summary.md"
            let runner = try ActionRunner(workspace: workspace, environment: job)
            let common = [
                "version": version, "download-url": "file://" + release.directory, "api-key": sandbox.partnerKey, "channel-keys": keys,
            ]
            func step(_ command: String, _ extra: [String: String] = [:]) async throws -> ActionRunner.Outcome {
                try await runner.run(common.merging(["command": command].merging(extra) { _, new in new }) { _, new in new })
            }

            let validate = try await step("validate")
            #expect(validate.exitCode == 0, "\(validate.stderr)")
            #expect(validate.stdout.contains("installed wabaform \(version) in \(runner.runnerTemp)/wabaform-\(version)/bin"))
            #expect(validate.stdout.contains("valid: "))
            let plan = try await step("plan")
            #expect(plan.exitCode == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("wabaform \(version) is already installed"))
            #expect(plan.outputs["changes"] == "true")
            #expect(try String(contentsOfFile: workspace + "/wabaform-plan.md", encoding: .utf8).hasPrefix("<!-- wabaform-plan -->\n"))
            #expect(FileManager.default.fileExists(atPath: workspace + "/wabaform-plan.json"))
            // Drift finds what the plan would change; apply needs the reviewer's flag, given as an input.
            #expect(try await step("drift").exitCode == 2)
            #expect(try await step("apply").exitCode == 4)
            let apply = try await step("apply", ["apply-flags": "--allow-mass-change"])
            #expect(apply.exitCode == 0, "\(apply.stderr)")
            let drift = try await step("drift")
            #expect(drift.exitCode == 0, "\(drift.stdout)\(drift.stderr)")
            for text in [validate, plan, apply, drift].flatMap({ [$0.stdout, $0.stderr] }) {
                #expect(!text.contains(sandbox.partnerKey) && !text.contains("sbx_ck_") && !text.contains("action-hook-secret-value"))
            }
        }
    }

    @Test func refusesATamperedTarballAndRunsNothing() async throws {
        let version = try Packaging.binaryVersion()
        let release = try await Packaging.release(version: version)
        let tarball = release.directory + "/" + release.name + ".tar.gz"
        let handle = try #require(FileHandle(forWritingAtPath: tarball))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let runner = try ActionRunner(workspace: try Self.workspace(), environment: Examples.environment)
        let outcome = try await runner.run(["command": "validate", "version": version, "download-url": "file://" + release.directory])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("checksum mismatch for \(release.name).tar.gz"), "\(outcome.stderr)")
        #expect(!outcome.stdout.contains("valid: "))
        #expect(!FileManager.default.fileExists(atPath: runner.runnerTemp + "/wabaform-\(version)/bin/wabaform"))
    }

    @Test func refusesABinaryThatIsNotTheVersionAskedFor() async throws {
        let release = try await Packaging.release(version: "9.9.9")
        let runner = try ActionRunner(workspace: try Self.workspace(), environment: [:])
        let outcome = try await runner.run(["command": "validate", "version": "9.9.9", "download-url": "file://" + release.directory])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("not 9.9.9; nothing installed"), "\(outcome.stderr)")
    }

    @Test(arguments: [
        ("destroy", nil, "command must be validate, plan, apply or drift, not 'destroy'"), ("plan", "latest", "is not a semantic version"),
    ])
    func refusesBadInputs(command: String, version: String?, message: String) async throws {
        let release = try await Packaging.release(version: try Packaging.binaryVersion())
        let runner = try ActionRunner(workspace: try Self.workspace(), environment: Examples.environment)
        let outcome = try await runner.run([
            "command": command, "version": try version ?? Packaging.binaryVersion(), "download-url": "file://" + release.directory,
        ])
        #expect(outcome.exitCode == 1)
        #expect((outcome.stdout + outcome.stderr).contains(message), "\(outcome.stdout)\(outcome.stderr)")
    }

    /// Without download-url the action installs the release vVERSION of the repository it was
    /// checked out from, which the runner keeps at _actions/OWNER/REPO/REF (GITHUB_SERVER_URL
    /// points at a local copy here: the test reaches no network).
    @Test func defaultsToTheReleaseOfTheActionsOwnRepository() async throws {
        let version = try Packaging.binaryVersion()
        let server = try CLI.temporaryDirectory()
        let releaseDirectory = server + "/acme/wabaform/releases/download/v\(version)"
        try FileManager.default.createDirectory(atPath: releaseDirectory, withIntermediateDirectories: true)
        let release = try await Packaging.release(version: version)
        for suffix in [".tar.gz", ".tar.gz.sha256"] {
            try FileManager.default.copyItem(
                atPath: release.directory + "/" + release.name + suffix, toPath: releaseDirectory + "/" + release.name + suffix)
        }
        let actions = try CLI.temporaryDirectory() + "/_actions/acme/wabaform"
        try FileManager.default.createDirectory(atPath: actions, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: actions + "/v1", withDestinationPath: CLI.packageRoot.path)
        var runner = try ActionRunner(
            workspace: try Self.workspace(),
            environment: Examples.environment.merging(["GITHUB_SERVER_URL": "file://" + server]) { _, new in new })
        runner.actionPath = actions + "/v1"
        let outcome = try await runner.run(["command": "validate", "version": version])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("installed wabaform \(version)"))
    }
}
