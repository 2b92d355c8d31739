import Foundation
import PartnerSandbox
import Testing
import WabaformTestSupport

/// Channel keys from a helper command, a secret directory, and what a rejected key does —
/// through the built binary against the sandbox.
@Suite struct ChannelKeySourcesTests {
    static let quickstart = ["-f", CLI.packageRoot.appendingPathComponent("examples/quickstart").path]

    /// The sandbox's environment without its keys file: keys come from elsewhere.
    static func environmentWithoutKeys(_ sandbox: RunningSandbox) -> [String: String] {
        var env = environment(for: sandbox)
        env["WABAFORM_CHANNEL_KEYS_FILE"] = nil
        return env
    }

    /// Writes an executable script and returns its path.
    static func script(_ text: String, named name: String, in directory: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// A helper that logs each run and what it was asked, and answers from the sandbox's keys
    /// file (which lists every published key, so the rest of the fleet is in there too).
    static let servingHelper = """
        #!/bin/sh
        d=$(dirname "$0")
        printf x >> "$d/runs"
        tee "$d/stdin" | python3 -c '
        import json, sys
        ids = json.load(sys.stdin)
        keys = json.load(open(sys.argv[1]))
        print("helper: serving", len(ids), "keys, first", keys.get(ids[0], "none"), file=sys.stderr)
        print(json.dumps({i: keys[i] for i in ids if i in keys}))
        ' "$KEYS_JSON"
        """

    @Test func aHelperServingAThousandKeysRunsOnceForTheIdsItIsNeededFor() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 1_000)) { sandbox in
            let directory = try CLI.temporaryDirectory()
            let helper = try Self.script(Self.servingHelper, named: "helper", in: directory)
            try """
            version: 1
            partner: { id: demoPA }
            channels:
              - select: { client.name: "Fleet*" }
                webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
              - select: all
                local_storage: DE
            """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            let channels = await sandbox.store.state.channels.values
            let fleet = channels.filter { $0.clientName.hasPrefix("Fleet") }.map(\.id).sorted()
            #expect(fleet.count >= 1_000)
            var env = Self.environmentWithoutKeys(sandbox)
            env["KEYS_JSON"] = sandbox.keysFilePath ?? ""
            env["WABAFORM_CHANNEL_KEY_\(fleet[0])"] = try #require(channels.first { $0.id == fleet[0] }?.apiKey)
            let result = try await CLI.runAsync(
                ["plan", "--format", "json", "--channel-keys-command", helper], in: directory, environment: env)
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(try String(contentsOfFile: directory + "/runs", encoding: .utf8) == "x", "the command runs once")
            // Asked for the channels whose webhook is managed, less the one a variable serves.
            let asked = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/stdin"))) as? [String]
            #expect(asked == Array(fleet.dropFirst()))
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect((plan["summary"] as? [String: Int])?["unknown"] == 0, "every fleet webhook was read")
            #expect(result.stderr.contains("helper: serving \(fleet.count - 1) keys, first (sensitive)"), "\(result.stderr)")
            for output in [result.stdout, result.stderr] { #expect(!output.contains("sbx_ck_"), "no key in any output") }
            // The same keys from a file give the same plan.
            var fromFile = environment(for: sandbox)
            fromFile["WABAFORM_CHANNEL_KEY_\(fleet[0])"] = env["WABAFORM_CHANNEL_KEY_\(fleet[0])"]
            let viaFile = try await CLI.runAsync(["plan", "--format", "json"], in: directory, environment: fromFile)
            #expect(viaFile.stdout == result.stdout)
        }
    }

    @Test(arguments: [
        ("exit 4", "failed with exit status 4"),
        ("sleep 60", "did not finish within 1 s, so it was stopped"),
        ("echo 'sbx_ck_not-json'", "did not print a JSON object"),
        ("echo '{\"acme01CH\": {\"key\": \"sbx_ck_nested\"}}'", "printed a value for channel acme01CH that is not a string"),
    ])
    func aFailingHangingOrLyingHelperIsOneLineAndExitOne(body: String, expected: String) async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try CLI.temporaryDirectory()
            let helper = try Self.script("#!/bin/sh\n\(body)\n", named: "keys-helper", in: directory)
            var env = Self.environmentWithoutKeys(sandbox)
            env["WABAFORM_CHANNEL_KEYS_COMMAND"] = helper + " --secret-arg=sbx_ck_arg"
            env["WABAFORM_CHANNEL_KEYS_COMMAND_TIMEOUT"] = "1"
            let start = ContinuousClock.now
            let result = try await CLI.runAsync(["plan"] + Self.quickstart, environment: env)
            #expect(ContinuousClock.now - start < .seconds(30))
            #expect(result.exitCode == 1)
            #expect(result.stdout.isEmpty)
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(errors.count == 1, "one line: \(result.stderr)")
            #expect(
                errors.first?.hasPrefix("error: the channel keys command \(helper) (WABAFORM_CHANNEL_KEYS_COMMAND) \(expected)") == true,
                "\(result.stderr)")
            #expect(!result.stderr.contains("sbx_ck_"))
        }
    }

    @Test func aKubernetesSecretDirectoryServesTheKeys() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let keys = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: sandbox.keysFilePath ?? ""))) as? [String: String])
            let secret = try CLI.temporaryDirectory() + "/channel-keys"
            try KubernetesSecretVolume.write(keys, to: secret)
            let viaFile = try await CLI.runAsync(["plan"] + Self.quickstart, environment: environment(for: sandbox))
            let viaDirectory = try await CLI.runAsync(
                ["plan", "--channel-keys", secret] + Self.quickstart, environment: Self.environmentWithoutKeys(sandbox))
            #expect(viaDirectory.exitCode == 0, "\(viaDirectory.stderr)")
            #expect(viaDirectory.stdout == viaFile.stdout)
            #expect(viaDirectory.stdout.contains("channel acme02CH"), "webhooks were read with the mounted keys")
        }
    }

    @Test func rejectedKeysAreUnknownSaidOnceForTheFleetAndNeverWritten() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            var env = environment(for: sandbox)
            env["WABAFORM_CHANNEL_KEY_acme02CH"] = "sbx_ck_revoked-2"
            env["WABAFORM_CHANNEL_KEY_globex02CH"] = "sbx_ck_revoked-3"
            let result = try await CLI.runAsync(["plan"] + Self.quickstart, environment: env)
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(
                result.stdout.contains(
                    "? channel.acme02CH.webhook: the key for acme02CH was rejected (401); a newer key may have been generated"))
            #expect(result.stdout.contains("channel globex03CH"), "the rest of the plan is shown")
            let warnings = result.stderr.split(separator: "\n").filter { $0.contains("rejected") }
            #expect(
                warnings == [
                    "warning: the keys for 2 channels were rejected (acme02CH, globex02CH); a newer key may have been generated: "
                        + "those webhooks are unknown and will not be changed until the keys are updated where they are kept"
                ], "\(result.stderr)")
            #expect(!result.stderr.contains("sbx_ck_") && !result.stdout.contains("sbx_ck_"))
            let strict = try await CLI.runAsync(["plan", "--strict"] + Self.quickstart, environment: env)
            #expect(strict.exitCode == 1)
            #expect(strict.stderr.contains("error: the keys for 2 channels were rejected"))

            let before = await sandbox.store.state.channels["acme02CH"]?.webhook
            let apply = try await CLI.runAsync(["apply", "--auto-approve", "--allow-disruptive"] + Self.quickstart, environment: env)
            #expect(apply.exitCode == 0, "\(apply.stderr)")
            #expect(await sandbox.store.state.channels["acme02CH"]?.webhook == before, "a channel with a rejected key is never written")
            #expect(await sandbox.store.state.channels["globex03CH"]?.webhook?.url == "https://hooks.example.com/wa/globex03CH")
        }
    }
}

/// The helpers of docs/channel-keys.md, run by wabaform against stand-ins for `psql` and
/// `vault` placed first on PATH (each accepts only what its helper sends, like the real tool).
@Suite struct ChannelKeyHelperExampleTests {
    static let examples = CLI.packageRoot.appendingPathComponent("examples/channel-keys")

    static let fakePsql = #"""
        #!/usr/bin/env python3
        # Stands in for psql: answers only the query keys-from-psql.sh sends, from a JSON "table".
        import json, os, re, sys
        if not {"--no-psqlrc", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1"} <= set(sys.argv[1:]):
            sys.exit("fake psql: unexpected arguments %s" % sys.argv[1:])
        query = re.fullmatch(
            r"SELECT coalesce\(json_object_agg\(channel_id, api_key\), '\{\}'\)\n"
            r"FROM channel_keys WHERE channel_id IN \(SELECT json_array_elements_text\(\$wabaform_ids\$(.*)\$wabaform_ids\$::json\)\);\n",
            sys.stdin.read(), re.S)
        if not query:
            sys.exit("ERROR:  syntax error")
        table = json.load(open(os.environ["FAKE_PSQL_TABLE"]))
        rows = {id: table[id] for id in json.loads(query.group(1)) if id in table}
        print(("{ " + ", ".join('"%s" : "%s"' % row for row in sorted(rows.items())) + " }") if rows else "{}")
        """#

    static let fakeVault = #"""
        #!/usr/bin/env python3
        # Stands in for the vault CLI: `vault kv get -format=json PATH` of a KV v2 secret.
        import json, os, sys
        args = sys.argv[1:]
        if args[:3] != ["kv", "get", "-format=json"] or len(args) != 4:
            sys.exit("fake vault: unexpected arguments %s" % args)
        if args[3] != "secret/wabaform/channel-keys":
            print("No value found at %s" % args[3].replace("secret/", "secret/data/", 1), file=sys.stderr)
            sys.exit(2)
        data = json.load(open(os.environ["FAKE_VAULT_DATA"]))
        print(json.dumps({"request_id": "6a1b", "lease_id": "", "lease_duration": 0, "renewable": False,
                          "data": {"data": data, "metadata": {"created_time": "2026-12-01T00:00:00Z", "version": 3}},
                          "warnings": None}, indent=2))
        """#

    /// An environment whose PATH finds the fakes first, with the sandbox's keys as their data.
    static func environment(_ sandbox: RunningSandbox) throws -> [String: String] {
        let bin = try CLI.temporaryDirectory()
        _ = try ChannelKeySourcesTests.script(fakePsql, named: "psql", in: bin)
        _ = try ChannelKeySourcesTests.script(fakeVault, named: "vault", in: bin)
        var env = ChannelKeySourcesTests.environmentWithoutKeys(sandbox)
        let keys = sandbox.keysFilePath ?? ""
        env["FAKE_PSQL_TABLE"] = keys
        env["FAKE_VAULT_DATA"] = keys
        env["PATH"] = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return env
    }

    @Test(arguments: ["keys-from-psql.sh", "keys-from-vault.sh"])
    func theExampleHelperServesThePlan(helper: String) async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let command = Self.examples.appendingPathComponent(helper).path
            let viaFile = try await CLI.runAsync(
                ["plan"] + ChannelKeySourcesTests.quickstart, environment: WabaformCLITests.environment(for: sandbox))
            let viaHelper = try await CLI.runAsync(
                ["plan", "--channel-keys-command", command] + ChannelKeySourcesTests.quickstart, environment: try Self.environment(sandbox))
            #expect(viaHelper.exitCode == 0, "\(viaHelper.stderr)")
            #expect(viaHelper.stdout == viaFile.stdout)
            #expect(!viaHelper.stdout.contains("sbx_ck_") && !viaHelper.stderr.contains("sbx_ck_"))
            // The docs show the helper as it is.
            let docs = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/channel-keys.md"), encoding: .utf8)
            #expect(docs.contains(try String(contentsOfFile: command, encoding: .utf8)), "docs/channel-keys.md shows \(helper) verbatim")
        }
    }

    @Test func aVaultErrorIsPassedOnAndTheRunStops() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            var env = try Self.environment(sandbox)
            env["WABAFORM_VAULT_KEYS_PATH"] = "secret/wabaform/other"
            let command = Self.examples.appendingPathComponent("keys-from-vault.sh").path
            let result = try await CLI.runAsync(
                ["plan", "--channel-keys-command", command] + ChannelKeySourcesTests.quickstart, environment: env)
            #expect(result.exitCode == 1)
            #expect(result.stderr.contains("\(command): No value found at secret/data/wabaform/other\n"), "\(result.stderr)")
            #expect(result.stderr.contains("error: the channel keys command \(command) (--channel-keys-command) failed with exit status 2"))
        }
    }
}
