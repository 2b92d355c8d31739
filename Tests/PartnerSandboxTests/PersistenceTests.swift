import AsyncHTTPClient
import Foundation
import Synchronization
import Testing
import WabaformTestSupport
@testable import PartnerSandbox

@Suite struct PersistenceTests {
    @Test func stateSurvivesARestartAndSeedsApplyOnlyToANewFile() async throws {
        let directory = try temporaryDirectory()
        let state = directory + "/sandbox.json"
        try await withSandbox(SandboxConfiguration(statePath: state)) { http in
            let key = await http.channelKey("acme02CH")
            let reply = try await http.send(
                .POST, "/v1/configs/webhook", headers: ["D360-API-KEY": key], body: #"{"url": "https://kept.example.com/x"}"#)
            #expect(reply.status == 200)
        }
        // A different seed and a fleet are ignored: the file exists.
        let otherSeed = try SandboxSeed.demo()
        try await withSandbox(SandboxConfiguration(statePath: state, seed: otherSeed, fleet: 50)) { http in
            let channels = await http.sandbox.store.state.channels
            #expect(channels.count == 12)
            #expect(channels["acme02CH"]?.webhook?.url == "https://kept.example.com/x")
        }
    }

    @Test func keysFileListsPublishedKeysAndFollowsMinting() async throws {
        let directory = try temporaryDirectory()
        try await withSandbox(SandboxConfiguration(statePath: directory + "/sandbox.json")) { http in
            let path = try #require(http.sandbox.keysFilePath)
            #expect(path == directory + "/sandbox.keys.json")
            let keys = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(keys.count == 11)
            #expect(keys["acme04CH"] == nil, "acme04CH's key is not published in the demo seed")
            #expect(keys["acme01CH"] == (await http.channelKey("acme01CH")))
            let minted = try await http.partner(.POST, "/partners/demoPA/channels/acme01CH/api_keys")
            let after = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(after["acme01CH"] == minted.json["api_key"] as? String)
        }
    }

    @Test func aTornLastLineIsIgnoredAndACorruptLineIsReported() async throws {
        let directory = try temporaryDirectory()
        let state = directory + "/sandbox.json"
        try await withSandbox(SandboxConfiguration(statePath: state)) { http in
            _ = try await http.partner(.POST, "/partners/demoPA/webhook_url", body: #"{"webhook_url": "https://new.example.com/p"}"#)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: state))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"partner":{"id":"demo"#.utf8))
        try handle.close()
        let loaded = try SandboxStore.load(path: state)
        #expect(loaded.partner.webhookURL == "https://new.example.com/p")

        try Data("{\"wabaform_sandbox_state\":1,\"state\":{}}\n".utf8).write(to: URL(fileURLWithPath: state))
        #expect(throws: SandboxStore.StoreError.self) { try SandboxStore.load(path: state) }
    }

    @Test func journalIsCompactedIntoOneSnapshot() async throws {
        let directory = try temporaryDirectory()
        let state = directory + "/sandbox.json"
        let store = try SandboxStore(path: state) { try SandboxSeed.demo().makeState() }
        for index in 0..<20 {
            try await store.updateChannel(id: "acme01CH") { $0.webhook = WebhookRecord(url: "https://h.example.com/\(index)") }
        }
        #expect(try String(contentsOfFile: state, encoding: .utf8).split(separator: "\n").count == 21)
        try await store.compact()
        #expect(try String(contentsOfFile: state, encoding: .utf8).split(separator: "\n").count == 1)
        #expect(try SandboxStore.load(path: state).channels["acme01CH"]?.webhook?.url == "https://h.example.com/19")
    }

    /// SIGKILL the sandbox process in the middle of a burst of writes: the state file always
    /// loads, and holds every write the sandbox acknowledged.
    @Test(arguments: 1...10)
    func sigkillDuringWritesLeavesALoadableFile(trial: Int) async throws {
        let directory = try temporaryDirectory()
        let state = directory + "/sandbox.json"
        let process = Process()
        process.executableURL = try wabaformExecutable()
        process.arguments = ["sandbox", "--port", "0", "--state", state]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let exports = SandboxExports.read(output.fileHandleForReading)
        let messaging = try #require(exports["WABAFORM_MESSAGING_URL"])
        let keys = try JSONDecoder().decode(
            [String: String].self, from: Data(contentsOf: URL(fileURLWithPath: try #require(exports["WABAFORM_CHANNEL_KEYS_FILE"]))))
        let channels = ["acme01CH", "acme02CH", "globex01CH", "initech02CH"]
        let progress = Progress()
        let acknowledged = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for channel in channels {
                let key = try #require(keys[channel])
                group.addTask {
                    var last = -1
                    for serial in 0..<100_000 {
                        var request = HTTPClientRequest(url: messaging + "/v1/configs/webhook")
                        request.method = .POST
                        request.headers.add(name: "D360-API-KEY", value: key)
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(.init(string: #"{"url": "https://burst.example.com/\#(channel)/\#(serial)"}"#))
                        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)),
                            response.status == .ok
                        else { break }
                        last = serial
                        progress.counts.withLock { $0[channel] = serial }
                    }
                    return (channel, last)
                }
            }
            // Kill once every writer has had writes acknowledged, at a different moment per trial.
            let deadline = ContinuousClock.now + .seconds(30)
            while progress.counts.withLock({ $0.count < channels.count || $0.values.contains { $0 < 5 } }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(trial * 97))
            kill(process.processIdentifier, SIGKILL)
            var result: [String: Int] = [:]
            for try await (channel, last) in group { result[channel] = last }
            return result
        }
        process.waitUntilExit()
        let loaded = try SandboxStore.load(path: state)
        for channel in channels {
            let last = try #require(acknowledged[channel])
            #expect(last >= 0, "no write to \(channel) was acknowledged before the kill")
            let url = try #require(loaded.channels[channel]?.webhook?.url)
            let stored = try #require(Int(url.split(separator: "/").last!))
            #expect(stored >= last, "\(channel): acknowledged write \(last) lost; file has \(stored)")
        }
    }
}

/// The built `wabaform` executable, beside the test bundle.
func wabaformExecutable() throws -> URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wabaform")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let fallback = root.appendingPathComponent(".build/debug/wabaform")
    guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
        throw SandboxHTTP.Failure(description: "wabaform executable not found beside \(beside.path) or at \(fallback.path)")
    }
    return fallback
}

/// Acknowledged writes per channel, shared between the writers and the killer.
final class Progress: Sendable {
    let counts = Mutex<[String: Int]>([:])
}
