import Foundation
import PartnerSandbox
import Testing

@Suite struct DriftCommandTests {
    static let quickstart = PlanCommandTests.quickstart

    @Test func exitCodesAndOneNotificationOnlyOnDrift() async throws {
        let receiver = NotificationReceiver()
        try await receiver.withRunning { hooks in
            try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
                let env = environment(for: sandbox)
                let drift = try await CLI.runAsync(["drift", "--notify", hooks + "/hook"] + Self.quickstart, environment: env)
                #expect(drift.exitCode == 2, "\(drift.stderr)")
                #expect(drift.stderr.contains("drift reported to 127.0.0.1"))
                #expect(receiver.received.count == 1)
                let message = try #require(try JSONSerialization.jsonObject(with: Data(receiver.received[0].utf8)) as? [String: Any])
                #expect(
                    (message["text"] as? String)?.hasPrefix(
                        "wabaform drift: partner demoPA differs from its configuration. Plan: 6 to create") == true)
                #expect((message["report"] as? [String: Any])?["format_version"] as? String == "1")
                #expect(writes(sandbox).isEmpty, "drift is read-only: \(writes(sandbox))")

                let apply = try await CLI.runAsync(["apply", "--auto-approve", "--allow-disruptive"] + Self.quickstart, environment: env)
                #expect(apply.exitCode == 0)
                sandbox.stats.reset()
                let inSync = try await CLI.runAsync(["drift", "--notify", hooks + "/hook"] + Self.quickstart, environment: env)
                #expect(inSync.exitCode == 0)
                #expect(receiver.received.count == 1, "no notification when in sync")

                // A change behind wabaform's back is drift again.
                #expect(try await directWebhookChange(sandbox, channel: "globex01CH", url: "https://elsewhere.example.com/x") == 200)
                let again = try await CLI.runAsync(["drift", "--format", "json"] + Self.quickstart, environment: env)
                #expect(again.exitCode == 2)
                #expect(again.stdout.contains("\"address\" : \"channel.globex01CH.webhook\""))
                #expect(writes(sandbox).filter { $0.key != "POST /v1/configs/webhook 200" }.isEmpty)
            }
        }
    }

    @Test func aFailedNotificationExitsOne() async throws {
        let receiver = NotificationReceiver()
        try await receiver.withRunning { hooks in
            try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
                let result = try await CLI.runAsync(
                    ["drift", "--notify", hooks + "/fail"] + Self.quickstart, environment: environment(for: sandbox))
                #expect(result.exitCode == 1)
                #expect(result.stderr.contains("error: the drift notification to 127.0.0.1 was refused: HTTP 500"))
            }
        }
    }

    @Test func errorsExitOneAndTheNotifyURLIsChecked() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            var env = environment(for: sandbox)
            env["WABAFORM_API_KEY"] = "wrong"
            #expect(try await CLI.runAsync(["drift"] + Self.quickstart, environment: env).exitCode == 1)
            let plainHTTP = try await CLI.runAsync(
                ["drift", "--notify", "http://hooks.example.com/x"] + Self.quickstart, environment: environment(for: sandbox))
            #expect(plainHTTP.exitCode == 1)
            #expect(plainHTTP.stderr.contains("--notify must use https"))
        }
    }
}
