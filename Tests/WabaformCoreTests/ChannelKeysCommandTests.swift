import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
import WabaformTestSupport
@testable import WabaformCore

/// The keys command runs real helper scripts (`/bin/sh`), in a temporary directory.
@Suite("Channel keys command")
struct ChannelKeysCommandTests {
    /// A directory with `helper` (the script, executable) and where it leaves its traces.
    struct Helper {
        var directory: String
        var path: String { directory + "/helper" }
        var received: String? { try? String(contentsOfFile: directory + "/stdin", encoding: .utf8) }
        var runs: Int { ((try? String(contentsOfFile: directory + "/runs", encoding: .utf8)) ?? "").count }

        init(_ body: String) throws {
            directory = try Scratch.directory("helper")
            try Data("#!/bin/sh\nprintf x >> \"$(dirname \"$0\")/runs\"\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }

    /// Collects what the command passes on from the helper's stderr.
    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        var collected: String { lock.withLock { text } }
        func append(_ line: String) { lock.withLock { text += line } }
    }

    static func load(_ command: String, environment: [String: String] = [:], file: String? = nil, sink: Sink = Sink()) throws -> ChannelKeys
    {
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/bin:/bin"
        return try ChannelKeys.load(file: file, command: command, environment: env, helperOutput: { sink.append($0) })
    }

    @Test("asked once, for the ids no variable serves; its keys rank between variables and files; extras and null ignored")
    func serves() async throws {
        let helper = try Helper(
            """
            cat > "$(dirname "$0")/stdin"
            echo '{"acme01CH": "cmd-one", "acme02CH": "cmd-two", "acme03CH": null, "other99CH": "not-asked"}'
            """)
        let file = try Scratch.file("keys.json", label: "keys")
        try #"{"acme02CH": "file-two", "acme03CH": "file-three"}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let keys = try Self.load(helper.path, environment: ["WABAFORM_CHANNEL_KEY_acme04CH": "env-four"], file: file)
        #expect(keys.pendingCommand != nil)
        let resolved = try await keys.resolvingCommand(for: ["acme03CH", "acme01CH", "acme02CH", "acme04CH", "acme01CH"])
        #expect(helper.received == #"["acme01CH","acme02CH","acme03CH"]"#)
        #expect(helper.runs == 1)
        #expect(resolved.pendingCommand == nil)
        #expect(resolved.key(for: "acme01CH") == Secret("cmd-one"))
        #expect(resolved.key(for: "acme02CH") == Secret("cmd-two"))
        #expect(resolved.key(for: "acme03CH") == Secret("file-three"))
        #expect(resolved.key(for: "acme04CH") == Secret("env-four"))
        #expect(resolved.key(for: "other99CH") == nil)
        #expect(resolved.entry(for: "acme01CH")?.source == "the channel keys command \(helper.path)")
        // Resolving again does not run it again.
        _ = try await resolved.resolvingCommand(for: ["acme01CH"])
        #expect(helper.runs == 1)
    }

    @Test("not run when no channel needs a key from it")
    func notRunWhenNothingIsNeeded() async throws {
        let helper = try Helper("echo '{}'")
        let keys = try Self.load(helper.path, environment: ["WABAFORM_CHANNEL_KEY_acme01CH": "env"])
        _ = try await keys.resolvingCommand(for: ["acme01CH"])
        _ = try await keys.resolvingCommand(for: [])
        #expect(helper.runs == 0)
    }

    @Test("its stderr is passed on with keys and credentials scrubbed; it never sees the partner key")
    func stderrScrubbed() async throws {
        let helper = try Helper(
            """
            printf 'serving cmd-secret-one; partner key: %s; \\033[31mred\\n' "${WABAFORM_API_KEY:-withheld}" >&2
            echo '{"acme01CH": "cmd-secret-one"}'
            """)
        let sink = Sink()
        let keys = try Self.load(helper.path, environment: ["WABAFORM_API_KEY": "partner-secret"], sink: sink)
        _ = try await keys.resolvingCommand(for: ["acme01CH"])
        let text = sink.collected
        #expect(text.contains("serving (sensitive); partner key: withheld;"), "\(text)")
        #expect(text.contains("\\u{1B}[31mred"), "control characters are escaped: \(text)")
        #expect(!text.contains("cmd-secret-one") && !text.contains("partner-secret") && !text.contains("\u{1B}"))
        #expect(text.hasPrefix(helper.path + ": "))
    }

    /// Runs the command and returns its error, checking that it says neither output nor key.
    static func failure(_ body: String, timeout: String? = nil) async throws -> (message: String, elapsed: Duration) {
        let helper = try Helper(body)
        var environment: [String: String] = [:]
        if let timeout { environment[ChannelKeysCommand.timeoutVariable] = timeout }
        let keys = try load(helper.path + " --token tok3n-arg", environment: environment)
        let start = ContinuousClock.now
        do {
            _ = try await keys.resolvingCommand(for: ["acme01CH"])
        } catch {
            let message = error.description
            #expect(message.hasPrefix("the channel keys command \(helper.path) (--channel-keys-command) "), "\(message)")
            #expect(!message.contains("s3cret") && !message.contains("tok3n-arg") && !message.contains("\n"), "\(message)")
            return (message, ContinuousClock.now - start)
        }
        Issue.record("the command did not fail")
        return ("", .zero)
    }

    @Test(
        "a failing, hanging or lying helper is one error naming the program, in bounded time",
        arguments: [
            ("echo '{\"acme01CH\": \"s3cret\"}'; echo s3cret >&2; exit 3", "failed with exit status 3"),
            ("kill -9 $$", "was killed by signal 9"),
            ("echo 'here are the keys: s3cret'", "did not print a JSON object"),
            ("echo '[\"s3cret\"]'", "did not print a JSON object"),
            ("echo '{\"acme01CH\": 12345}'", "printed a value for channel acme01CH that is not a string"),
            ("echo '{\"acme01CH\": \"\"}'", "printed an empty key for channel acme01CH"),
            ("printf '{\"acme01CH\": \"s3cret\\\\nX-Injected: 1\"}'", "with a space or control character"),
            ("sleep 30", "did not finish within 1 s, so it was stopped"),
            ("sleep 30 & wait", "did not finish within 1 s, so it was stopped"),
            ("exec 1>&- 2>&-; sleep 30", "did not finish within 1 s, so it was stopped"),
        ])
    func failures(body: String, expected: String) async throws {
        let (message, elapsed) = try await Self.failure(body, timeout: "1")
        #expect(message.contains(expected), "\(message)")
        #expect(elapsed < .seconds(10))
    }

    @Test("output past the limit stops the helper")
    func outputLimit() async throws {
        let helper = try Helper("while :; do echo '                                                                '; done")
        var keys = try Self.load(helper.path)
        var command = try #require(keys.pendingCommand)
        command.maxOutputBytes = 1024 * 1024
        keys = ChannelKeys(pendingCommand: command)
        await #expect {
            _ = try await keys.resolvingCommand(for: ["acme01CH"])
        } throws: { "\($0)".contains("printed more than 1 MiB, so it was stopped") }
    }

    @Test("a helper that does not read its input still works, and a large input is written in full")
    func largeInput() async throws {
        let ids = (0..<20_000).map { String(format: "fleet%05dCH", $0) }
        let ignoring = try Self.load(try Helper("echo '{\"fleet00001CH\": \"k1\"}'").path)
        #expect(try await ignoring.resolvingCommand(for: ids).key(for: "fleet00001CH") == Secret("k1"))
        let reading = try Helper("cat > \"$(dirname \"$0\")/stdin\"; echo '{}'")
        _ = try await Self.load(reading.path).resolvingCommand(for: ids)
        #expect(reading.received?.count == ids.count * 15 + 1)
    }

    @Test("a program that cannot be run, and command lines that cannot be parsed")
    func cannotRun() async throws {
        await #expect {
            _ = try await Self.load("no-such-helper-xyz --flag").resolvingCommand(for: ["acme01CH"])
        } throws: {
            "\($0)" == "the channel keys command no-such-helper-xyz (--channel-keys-command) cannot be run: it was not found on PATH"
        }
        #expect { _ = try Self.load("helper 'unclosed") } throws: { "\($0)".contains("has a quote that is not closed") }
        #expect { _ = try Self.load("   ") } throws: { "\($0)".contains("is empty") }
        #expect { _ = try Self.load("helper", environment: [ChannelKeysCommand.timeoutVariable: "soon"]) } throws: {
            "\($0)".contains("WABAFORM_CHANNEL_KEYS_COMMAND_TIMEOUT must be a number of seconds")
        }
    }

    @Test("the live-state reader runs it once for the webhooks it reads, and counts accepted, rejected and missing keys")
    func reader() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            let channels = await sandbox.store.state.channels
            let helper = try Helper(
                """
                cat > "$(dirname "$0")/stdin"
                echo '{"acme01CH": "\(channels["acme01CH"]!.apiKey)", "acme02CH": "sbx_stale_key", "acme03CH": "\(channels["acme03CH"]!.apiKey)"}'
                """)
            let keys = try Self.load(helper.path, environment: ["WABAFORM_CHANNEL_KEY_acme03CH": channels["acme03CH"]!.apiKey])
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let result = try await LiveStateReader(client: client, keys: keys).read(webhooksOf: { live in
                    live.map(\.id).filter { $0.hasPrefix("acme") }
                })
                #expect(helper.runs == 1)
                #expect(helper.received == #"["acme01CH","acme02CH","acme04CH"]"#)
                #expect(result.keyUse == LiveStateReader.KeyUse(accepted: 2, rejected: 1, missing: 1))
                #expect(Set(result.rejectedKeys.keys) == ["acme02CH"])
                #expect(
                    result.snapshot.webhooks["acme02CH"]
                        == .unknown(
                            reason: "the key for acme02CH was rejected (401); a newer key may have been generated"))
                #expect(result.keys.pendingCommand == nil)
                #expect(result.keys.entry(for: "acme01CH")?.source == "the channel keys command \(helper.path)")
            }
        }
    }

    @Test("words are split like a shell splits them, with nothing expanded")
    func split() {
        #expect(
            ChannelKeysCommand.split(#"sh -c 'psql -At | jq .' "$HOME" a\ b "q\"x" ''"#)
                == ["sh", "-c", "psql -At | jq .", "$HOME", "a b", "q\"x", ""])
        #expect(ChannelKeysCommand.split("  keys-from-vault.sh  ") == ["keys-from-vault.sh"])
        #expect(ChannelKeysCommand.split("a \"b") == nil)
    }
}
