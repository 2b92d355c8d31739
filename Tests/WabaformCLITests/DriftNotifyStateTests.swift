import Foundation
import PartnerSandbox
import Testing

/// `drift --notify URL --notify-state FILE`: one message per distinct drift, one when it
/// clears, then none; the state file holds a digest only and is private (0600).
@Suite struct DriftNotifyStateTests {
    static let quickstart = PlanCommandTests.quickstart

    /// A drift run's surroundings: a notification receiver (`hooks` is its base URL), the demo
    /// sandbox with the environment pointing at it, and a state file path not yet written.
    static func withReceiver(
        _ body:
            @Sendable (
                _ receiver: NotificationReceiver, _ hooks: String, _ sandbox: RunningSandbox, _ env: [String: String], _ state: String
            )
            async throws -> Void
    ) async throws {
        let receiver = NotificationReceiver()
        let state = try CLI.temporaryDirectory() + "/drift-state.json"
        try await receiver.withRunning { hooks in
            try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
                try await body(receiver, hooks, sandbox, environment(for: sandbox), state)
            }
        }
    }

    @Test func theSameDriftIsPostedOnceAndItsEndOnce() async throws {
        try await Self.withReceiver { receiver, hooks, sandbox, env, state in
            do {
                let drift = ["drift", "--notify", hooks + "/hook", "--notify-state", state] + Self.quickstart

                let first = try await CLI.runAsync(drift, environment: env)
                #expect(first.exitCode == 2, "\(first.stderr)")
                #expect(first.stderr.contains("drift reported to 127.0.0.1"))
                #expect(receiver.received.count == 1)
                let permissions = try FileManager.default.attributesOfItem(atPath: state)[.posixPermissions] as? Int
                #expect(permissions == 0o600)
                let saved = try String(contentsOfFile: state, encoding: .utf8)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(saved.utf8)) as? [String: Any])
                #expect(Set(object.keys) == ["format_version", "partner_id", "reported_drift", "salt"])
                #expect((object["reported_drift"] as? String)?.hasPrefix("sha256:") == true)
                for secret in env.filter({ $0.key.contains("KEY") || $0.key.contains("SECRET") }).map(\.value) where secret.count > 3 {
                    #expect(!saved.contains(secret), "the state file holds no secret")
                }
                #expect(!saved.contains("https://"), "nor any value: only a digest")

                let second = try await CLI.runAsync(drift, environment: env)
                #expect(second.exitCode == 2, "still drift, still exit 2")
                #expect(second.stderr.contains("drift unchanged since it was reported to 127.0.0.1; not posted again"))
                #expect(receiver.received.count == 1, "the same drift is not posted again")

                // A different drift (one more change behind wabaform's back) is posted.
                #expect(try await directWebhookChange(sandbox, channel: "globex01CH", url: "https://elsewhere.example.com/x") == 200)
                let third = try await CLI.runAsync(drift, environment: env)
                #expect(third.exitCode == 2)
                #expect(receiver.received.count == 2, "a different drift is posted")

                let apply = try await CLI.runAsync(["apply", "--auto-approve", "--allow-disruptive"] + Self.quickstart, environment: env)
                #expect(apply.exitCode == 0, "\(apply.stderr)")
                let cleared = try await CLI.runAsync(drift, environment: env)
                #expect(cleared.exitCode == 0)
                #expect(cleared.stderr.contains("drift resolved; reported to 127.0.0.1"))
                #expect(receiver.received.count == 3, "one resolved message")
                let resolved = try #require(try JSONSerialization.jsonObject(with: Data(receiver.received[2].utf8)) as? [String: Any])
                #expect(resolved["resolved"] as? Bool == true)
                #expect((resolved["text"] as? String)?.contains("partner demoPA is in sync with its configuration again") == true)

                let quiet = try await CLI.runAsync(drift, environment: env)
                #expect(quiet.exitCode == 0)
                #expect(receiver.received.count == 3, "then none")
            }
        }
    }

    @Test func aFailedPostIsRetriedNextRunAndTheStateNeedsNotify() async throws {
        try await Self.withReceiver { receiver, hooks, _, env, state in
            do {
                let failed = try await CLI.runAsync(
                    ["drift", "--notify", hooks + "/fail", "--notify-state", state] + Self.quickstart, environment: env)
                #expect(failed.exitCode == 1)
                #expect(!FileManager.default.fileExists(atPath: state), "nothing was reported, so nothing is remembered")
                let retried = try await CLI.runAsync(
                    ["drift", "--notify", hooks + "/hook", "--notify-state", state] + Self.quickstart, environment: env)
                #expect(retried.exitCode == 2)
                #expect(receiver.received.count == 1)

                let alone = try await CLI.runAsync(["drift", "--notify-state", state] + Self.quickstart, environment: env)
                #expect(alone.exitCode == 1)
                #expect(alone.stderr.contains("--notify-state needs --notify URL"))
            }
        }
    }
}
