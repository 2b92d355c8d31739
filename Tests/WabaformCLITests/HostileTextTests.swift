import Foundation
import PartnerSandbox
import Testing

/// Issue 14, items 3, 4 and 9 end to end: the real binary against the real sandbox over HTTP.
/// An API that echoes requests leaks nothing; hostile names cannot forge or hide plan
/// lines; broken answers and careless use get plain messages.
@Suite(.serialized) struct HostileTextTests {
    static let config = """
        version: 1
        partner: { id: demoPA, webhook_url: "https://hooks.example.com/echo" }
        channels:
          - select: all
            webhook:
              url: https://hooks.example.com/wa/{channel_id}
              headers: { X-Hook-Secret: "Bearer ${HOOK_TOKEN}", X-Plain: "HV_WHOLE_ECHO_0042" }
        """

    /// What the output must not hold: secrets and the tell-tale parts of their encodings.
    static func leaks(in output: String, secrets: [String]) -> [String] {
        var found: [String] = []
        for secret in secrets where secret.count >= 6 {
            let forms = [secret, String(secret.prefix(6)), Data(secret.utf8).base64EncodedString().dropLast(4).description]
            for form in forms where output.contains(form) { found.append(form) }
        }
        if output.range(of: #"Bearer (?!\(sensitive\))[A-Za-z0-9._-]{6,}"#, options: .regularExpression) != nil {
            found.append("a bearer token")
        }
        return found
    }

    @Test("an API that echoes the request in its errors puts no secret in the ledger or anywhere")
    func echoedRequests() async throws {
        let configuration = try sandboxConfiguration(faults: FaultSettings(hostile: .echoBody))
        try await Sandbox.withRunning(configuration) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            var env = environment(for: sandbox)
            env["HOOK_TOKEN"] = "hook-token-Zq81x7"
            let state = await sandbox.store.state
            var bearer = env
            bearer["WABAFORM_API_KEY"] = nil
            bearer["WABAFORM_USERNAME"] = state.partner.username
            bearer["WABAFORM_PASSWORD"] = state.partner.password
            let secrets =
                [sandbox.partnerKey, state.partner.password, "hook-token-Zq81x7", "Bearer hook-token-Zq81x7", "HV_WHOLE_ECHO_0042"]
                + state.channels.values.map(\.apiKey)
            for (name, arguments, environment) in [
                ("text", ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change", "-v"], env),
                ("json", ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change", "--format", "json"], env),
                ("bearer", ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change", "-v"], bearer),
            ] {
                let result = try await CLI.runAsync(arguments, in: directory, environment: environment)
                #expect(result.exitCode == 3 || result.exitCode == 1, "\(name): exit \(result.exitCode)\n\(result.stderr)")
                let output = result.stdout + result.stderr
                #expect(output.contains("Bad request"), "\(name): the API's message is shown\n\(output)")
                #expect(output.contains("(sensitive)"), "\(name): what was cut is marked\n\(output)")
                #expect(Self.leaks(in: output, secrets: secrets).isEmpty, "\(name): \(Self.leaks(in: output, secrets: secrets))\n\(output)")
            }
        }
    }

    static let hostileName =
        #"Evil\e[2K\e[1A\r  ~ webhook.url: \"https://ok\" -> \"https://ok\"\nPlan: 0 to create, 0 to update, 0 to delete, 0 to replace.\e[8m"#

    static let seed = """
        partner:
          id: evilPA
          api_key: sbx_pk_hostile_text
          webhook_url: https://hooks.example.com/partner
        clients:
          - { id: evCL, name: "\(hostileName)" }
        channels:
          - id: ev01CH
            client: evCL
            phone_number: "+49 151 1"
            phone_name: "Support\\u202E"
            api_key: ev01_channel_key_x
            local_storage: DE
            webhook: { url: "https://hooks.example.com/wa/ev01CH/\\e[8mhidden" }
        """

    @Test("a client name cannot forge plan lines or hide the disruptive line before the prompt")
    func hostileNames() async throws {
        let directory = try CLI.temporaryDirectory()
        try Self.seed.write(toFile: directory + "/seed.yaml", atomically: true, encoding: .utf8)
        try """
        version: 1
        partner: { id: evilPA }
        channels:
          - id: ev01CH
            webhook: { url: "https://hooks.example.com/wa/ev01CH" }
            local_storage: "off"
        """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let seed = try SandboxSeed.load(path: directory + "/seed.yaml")
        try await Sandbox.withRunning(SandboxConfiguration(statePath: directory + "/sandbox.json", seed: seed)) { sandbox in
            let env = environment(for: sandbox)
            let plan = try await CLI.runAsync(["plan", "--color", "always"], in: directory, environment: env)
            let markdown = try await CLI.runAsync(["plan", "--format", "markdown"], in: directory, environment: env)
            let apply = try await CLI.runAsync(["apply"], in: directory, environment: env)  // no TTY: refuses after the plan
            let json = try await CLI.runAsync(["plan", "--format", "json"], in: directory, environment: env)
            #expect(plan.exitCode == 0, "\(plan.stderr)")
            for (name, output) in [
                ("plan", plan.stdout + plan.stderr), ("markdown", markdown.stdout), ("apply", apply.stdout + apply.stderr),
            ] {
                let own = output.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
                #expect(
                    !own.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" || $0 == "\u{202E}" },
                    "\(name): a raw control character\n\(output)")
                let lines = own.split(separator: "\n").map(String.init)
                #expect(lines.filter { $0.hasPrefix("Plan: ") }.count <= 1, "\(name): a forged summary line\n\(own)")
                #expect(!lines.contains { $0.hasPrefix("  ~ webhook.url: \"https://ok\"") }, "\(name): a forged change line\n\(own)")
            }
            let lines = apply.stdout.split(separator: "\n").map(String.init)
            #expect(
                lines.contains { $0.contains("- local_storage: DE") && $0.contains("disruptive") },
                "the disruptive line is there\n\(apply.stdout)")
            #expect(plan.stdout.contains(#"Evil\e[2K\e[1A\r"#) && plan.stdout.contains(#"\e[8mhidden"#), "shown escaped\n\(plan.stdout)")
            // JSON is exact.
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let changes = try #require(object["changes"] as? [[String: Any]])
            let name = (changes.first?["channel"] as? [String: Any])?["client_name"] as? String
            #expect(name?.contains("\u{1B}[2K\u{1B}[1A\r") == true && name?.contains("\n") == true, "\(String(describing: name))")
        }
    }

    @Test("an HTML answer is named as such, not as RuntimeError")
    func htmlAnswer() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(faults: FaultSettings(hostile: .html))) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            var env = environment(for: sandbox)
            env["HOOK_TOKEN"] = "x-token-value"
            let result = try await CLI.runAsync(["plan", "--timeout", "5"], in: directory, environment: env)
            #expect(result.exitCode == 1)
            #expect(result.stderr.contains("the API answered HTML (status 200), not JSON"), "\(result.stderr)")
            #expect(!result.stderr.contains("RuntimeError") && !result.stderr.contains("<html"), "\(result.stderr)")
        }
    }

    @Test("a directory as plan file is named as such, not as an NSCocoaErrorDomain error")
    func directoryAsPlanFile() throws {
        let directory = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/plan.json", withIntermediateDirectories: true)
        let result = try CLI.run(["apply", "plan.json"], in: directory, environment: ["WABAFORM_API_KEY": "k-123456789"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("plan.json is a directory, not a saved plan"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("error 256"), "\(result.stderr)")
        let missing = try CLI.run(["apply", "nope.json"], in: directory, environment: ["WABAFORM_API_KEY": "k-123456789"])
        #expect(missing.exitCode == 1 && missing.stderr.contains("no saved plan at nope.json"), "\(missing.stderr)")
    }

    @Test("a --notify TLS failure says so plainly: no library internals, no build path")
    func notifyTLSFailure() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try CLI.temporaryDirectory()
            try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
            var env = environment(for: sandbox)
            env["HOOK_TOKEN"] = "x-token-value"
            // The sandbox speaks plain HTTP: a TLS handshake with it fails. It may also never
            // answer the handshake: --timeout bounds the post, so that costs 5 s, not 30.
            let url = "https://127.0.0.1:\(sandbox.port)/hook"
            let result = try await CLI.runAsync(["drift", "--notify", url, "--timeout", "5"], in: directory, environment: env)
            let line = result.stderr.split(separator: "\n").first { $0.contains("drift notification") }.map(String.init) ?? ""
            #expect(line.contains("the drift notification to 127.0.0.1 failed: "), "\(result.stderr)")
            for part in ["NIOSSL", "BoringSSL", "SSL routines", "/work/", ".build", "Error(", "handshakeFailed", "sslError"] {
                #expect(!result.stderr.contains(part), "\(part) in \(result.stderr)")
            }
            print("wabaform-hostile-text: notify TLS: \(line)")
        }
    }

    @Test("invisible characters, empty hosts, control characters in headers and 1e3 are refused by validate")
    func input() throws {
        let directory = try CLI.temporaryDirectory()
        try """
        version: 1
        partner: { id: pa-1, webhook_url: "https://hooks\\u200B.example.com/x" }
        channels:
          - id: a01CH
            webhook: { url: "https://[]/x", headers: { X-A: "a\\u0007b" } }
          - phone_number: 1e3
            local_storage: DE
        """.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate"], in: directory)
        #expect(result.exitCode == 1)
        for expected in [
            "invisible or control character U+200B", "webhook url has no host", "header X-A value contains the control character U+0007",
            "phone_number \"1e3\" contains 'e'",
        ] {
            #expect(result.stderr.contains(expected), "\(expected)\n\(result.stderr)")
        }
        let notify = try CLI.run(["drift", "--notify", "https://hooks\u{200B}.example.com/x"], in: directory)
        #expect(notify.exitCode == 1 && notify.stderr.contains("U+200B"), "\(notify.stderr)")
    }
}
