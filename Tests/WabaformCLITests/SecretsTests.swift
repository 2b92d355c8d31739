import Foundation
import PartnerSandbox
import Testing

/// Known secret values go in; none may come out in stdout, stderr, logs or written files.
@Suite struct SecretsTests {
    static let secrets = [
        "PK_SECRET_7f3a9", "PW_SECRET_2b8c", "CK_SECRET_A1x", "CK_SECRET_B2y", "CK_SECRET_C3z",
        "HV_LIVE_SECRET_91", "HV_CONFIG_SECRET_55", "WRONG_KEY_SECRET_00", "REVOKED_SECRET_13",
    ]

    static let seed = """
        partner:
          id: secretPA
          api_key: PK_SECRET_7f3a9
          username: ops@secret.example
          password: PW_SECRET_2b8c
          webhook_url: https://old.example.com/partner
        clients:
          - { id: sCL, name: Secret Client }
        channels:
          - id: s1CH
            client: sCL
            phone_number: "+49 1"
            api_key: CK_SECRET_A1x
            webhook: { url: "https://h.example.com/s1CH", headers: { X-Live: HV_LIVE_SECRET_91 } }
          - id: s2CH
            client: sCL
            phone_number: "+49 2"
            api_key: CK_SECRET_B2y
            local_storage: DE
          - id: s3CH
            client: sCL
            phone_number: "+49 3"
            api_key: CK_SECRET_C3z
            status: pending
        """

    static let config = """
        version: 1
        partner:
          id: secretPA
          webhook_url: https://hooks.example.com/partner
        channels:
          - select: all
            webhook:
              url: https://hooks.example.com/wa/{channel_id}
              headers: { X-Hook-Secret: "${HOOK_SECRET}" }
            local_storage: GB
        """

    /// `config` with a WABA webhook whose header holds the same secret.
    static let configWithWABA =
        config + """

            wabas:
              - select: all
                webhook:
                  url: https://hooks.example.com/waba/{waba_id}
                  headers: { X-Waba-Secret: "${HOOK_SECRET}" }
            """

    @Test func planInEveryFormatAndPathRevealsNoSecret() async throws {
        let directory = try CLI.temporaryDirectory()
        try Self.seed.write(toFile: directory + "/seed.yaml", atomically: true, encoding: .utf8)
        try Self.configWithWABA.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let seed = try SandboxSeed.load(path: directory + "/seed.yaml")
        try await Sandbox.withRunning(SandboxConfiguration(statePath: directory + "/sandbox.json", seed: seed)) { sandbox in
            var env = environment(for: sandbox)
            env["HOOK_SECRET"] = "HV_CONFIG_SECRET_55"
            var bearer = env
            bearer["WABAFORM_API_KEY"] = nil
            bearer["WABAFORM_USERNAME"] = "ops@secret.example"
            bearer["WABAFORM_PASSWORD"] = "PW_SECRET_2b8c"
            var wrong = env
            wrong["WABAFORM_API_KEY"] = "WRONG_KEY_SECRET_00"
            var revoked = env
            revoked["WABAFORM_CHANNEL_KEY_s2CH"] = "REVOKED_SECRET_13"

            var outputs: [(String, CLI.Result)] = []
            for format in ["text", "json", "markdown"] {
                for verbose in [[], ["-v"]] {
                    let args = ["plan", "--format", format, "--out", directory + "/plan-\(format).json"] + verbose
                    outputs.append(("\(args)", try await CLI.runAsync(args, in: directory, environment: env)))
                }
            }
            outputs.append(("bearer -v", try await CLI.runAsync(["plan", "-v"], in: directory, environment: bearer)))
            outputs.append(("wrong key -v", try await CLI.runAsync(["plan", "-v"], in: directory, environment: wrong)))
            outputs.append(("revoked -v", try await CLI.runAsync(["plan", "-v", "--strict"], in: directory, environment: revoked)))
            outputs.append(("validate", try await CLI.runAsync(["validate", "--format", "json"], in: directory, environment: env)))
            outputs.append(("validate text", try await CLI.runAsync(["validate"], in: directory, environment: env)))
            outputs.append(("apply --dry-run -v", try await CLI.runAsync(["apply", "--dry-run", "-v"], in: directory, environment: env)))
            let receiver = NotificationReceiver()
            let fixedEnv = env
            outputs += try await receiver.withRunning { hooks in
                [
                    (
                        "drift --notify -v",
                        try await CLI.runAsync(["drift", "-v", "--notify", hooks + "/hook"], in: directory, environment: fixedEnv)
                    ),
                    ("drift json", try await CLI.runAsync(["drift", "--format", "json"], in: directory, environment: fixedEnv)),
                    (
                        "drift markdown -v",
                        try await CLI.runAsync(["drift", "-v", "--format", "markdown"], in: directory, environment: fixedEnv)
                    ),
                ]
            }
            outputs.append(
                (
                    "apply json -v",
                    try await CLI.runAsync(
                        ["apply", "--auto-approve", "--allow-disruptive", "--format", "json", "-v"], in: directory, environment: env)
                ))
            outputs.append(
                (
                    "apply text",
                    try await CLI.runAsync(["apply", "--auto-approve", "--allow-disruptive"], in: directory, environment: bearer)
                ))
            outputs.append(
                (
                    "export -v",
                    try await CLI.runAsync(["export", "-v", "--out", directory + "/export.yaml"], in: directory, environment: env)
                ))
            outputs.append(
                ("export -f -v", try await CLI.runAsync(["export", "-v", "-f", "wabaform.yaml"], in: directory, environment: env)))
            #expect(receiver.received.count == 1)
            for body in receiver.received {
                for secret in Self.secrets { #expect(!body.contains(secret), "notification holds \(secret)") }
            }
            func named(_ name: String) -> CLI.Result { outputs.first { $0.0 == name }!.1 }
            #expect(named("drift --notify -v").exitCode == 2, "drift found the differences: \(named("drift --notify -v").stderr)")
            #expect(named("apply json -v").exitCode == 0, "apply wrote the secret header: \(named("apply json -v").stderr)")
            #expect(named("apply --dry-run -v").stdout.contains("(sensitive)"))
            #expect(named("export -v").exitCode == 0, "\(named("export -v").stderr)")
            #expect(named("export -f -v").stdout.contains("${"), "header values are exported as variables")
            #expect(named("export -f -v").stdout.contains("wabas:\n  - id: sWA"), "the WABA webhook is exported")
            #expect(named("export -f -v").stderr.contains(", 1 WABA rule, "), "\(named("export -f -v").stderr)")
            let state = await sandbox.store.state
            #expect(state.channels["s1CH"]?.webhook?.headers == ["X-Hook-Secret": "HV_CONFIG_SECRET_55"], "the secret did reach the API")
            #expect(state.wabaWebhooks["sWA"]?.headers == ["X-Waba-Secret": "HV_CONFIG_SECRET_55"], "the WABA webhook's secret did too")
            for file in try FileManager.default.contentsOfDirectory(atPath: directory)
            where !file.hasPrefix("sandbox") && file != "seed.yaml" {
                let text = (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
                for secret in Self.secrets { #expect(!text.contains(secret), "\(file) holds \(secret)") }
            }

            #expect(outputs[0].1.exitCode == 0, "\(outputs[0].1.stderr)")
            #expect(outputs[0].1.stdout.contains("(sensitive"), "the plan does show that header values change")
            #expect(outputs[0].1.stdout.contains("+ webhook.headers.X-Waba-Secret: (sensitive)"), "the WABA webhook is planned")
            #expect(outputs[6].1.exitCode == 0, "bearer sign-in works: \(outputs[6].1.stderr)")
            #expect(outputs[6].1.stderr.contains("deprecated"), "the deprecated sign-in is warned about")
            #expect(outputs[7].1.exitCode == 1)
            #expect(outputs[8].1.exitCode == 1)
            for (name, result) in outputs {
                for secret in Self.secrets {
                    #expect(!result.stdout.contains(secret), "\(name): stdout holds \(secret)")
                    #expect(!result.stderr.contains(secret), "\(name): stderr holds \(secret)")
                }
            }
            for format in ["text", "json", "markdown"] {
                let saved = try String(contentsOfFile: directory + "/plan-\(format).json", encoding: .utf8)
                for secret in Self.secrets { #expect(!saved.contains(secret), "plan file holds \(secret)") }
            }
        }
    }

    /// The messages of a channel that cannot be read, and of the breaker, name the key's
    /// source file, never the key.
    @Test func unreadableChannelMessagesRevealNoSecret() async throws {
        let directory = try CLI.temporaryDirectory()
        try Self.seed.write(toFile: directory + "/seed.yaml", atomically: true, encoding: .utf8)
        try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let seed = try SandboxSeed.load(path: directory + "/seed.yaml")
        for failing: Set<String> in [["s1CH"], ["s1CH", "s2CH", "s3CH"]] {
            let configuration = SandboxConfiguration(
                statePath: directory + "/sandbox-\(failing.count).json", seed: seed, faults: FaultSettings(failChannels: failing))
            try await Sandbox.withRunning(configuration) { sandbox in
                var env = environment(for: sandbox)
                env["HOOK_SECRET"] = "HV_CONFIG_SECRET_55"
                // The read-only runs side by side (each waits out the failing reads' retries), then apply.
                let readOnly = [
                    "plan text": ["plan", "-v", "--format", "text"], "plan json": ["plan", "-v", "--format", "json"],
                    "plan markdown": ["plan", "-v", "--format", "markdown"], "export": ["export", "-v"],
                ]
                var results = try await withThrowingTaskGroup(of: (String, CLI.Result).self) { group in
                    for (name, arguments) in readOnly {
                        let env = env
                        group.addTask { (name, try await CLI.runAsync(arguments, in: directory, environment: env)) }
                    }
                    return try await group.reduce(into: [String: CLI.Result]()) { $0[$1.0] = $1.1 }
                }
                results["apply"] = try await CLI.runAsync(
                    ["apply", "-v", "--auto-approve", "--allow-disruptive", "--format", "json"], in: directory, environment: env)
                #expect(results["apply"]?.exitCode == 3, "\(results["apply"]?.stderr ?? "")")
                for (name, result) in results {
                    #expect(result.stderr.contains("Channel s1CH is unavailable"), "\(name): \(result.stderr)")
                    for secret in Self.secrets {
                        #expect(!result.stdout.contains(secret), "\(failing.count) failing, \(name): stdout holds \(secret)")
                        #expect(!result.stderr.contains(secret), "\(failing.count) failing, \(name): stderr holds \(secret)")
                    }
                }
            }
        }
    }
}
