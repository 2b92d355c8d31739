import Foundation
import PartnerSandbox
import Testing

/// One state file, one sandbox: a second sandbox on a busy state file — embedded (`--sandbox`)
/// or standalone (`wabaform sandbox`) — is refused, naming the holder, and loses nothing.
@Suite struct StateFileLockTests {
    @Test func aSecondSandboxOnABusyStateFileIsRefusedAndNothingIsLost() async throws {
        let directory = try CLI.temporaryDirectory()
        let state = directory + "/.wabaform/sandbox.json"
        let printed = directory + "/sandbox.env"
        FileManager.default.createFile(atPath: printed, contents: nil)
        // The standalone sandbox, on the state file `--sandbox` uses in this directory.
        let server = CLI.process(try CLI.executable(), ["sandbox", "--port", "0"], in: directory, environment: [:])
        server.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: printed))
        server.standardError = FileHandle.nullDevice
        server.standardInput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let deadline = Date().addingTimeInterval(60)
        while !((try? String(contentsOfFile: printed, encoding: .utf8)) ?? "").contains("WABAFORM_CHANNEL_KEYS_FILE"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        var env: [String: String] = [:]
        for line in try String(contentsOfFile: printed, encoding: .utf8).split(separator: "\n") {
            guard let match = line.wholeMatch(of: /export ([A-Z_]+)=(.*)/) else { continue }
            env[String(match.output.1)] = String(match.output.2).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        #expect(env["WABAFORM_API_URL"] != nil, "the sandbox did not start")

        // An acknowledged change through the standalone sandbox.
        let apply = try await CLI.runAsync(
            ["apply", "--auto-approve", "--allow-disruptive"] + PlanCommandTests.quickstart, in: directory, environment: env)
        #expect(apply.exitCode == 0, "\(apply.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: state))

        // The embedded sandbox, and a second standalone one, on the same file: refused, exit 1.
        let holder = "is in use by another sandbox (pid \(server.processIdentifier))"
        let embedded = try await CLI.runAsync(["plan", "--sandbox"] + PlanCommandTests.quickstart, in: directory)
        #expect(embedded.exitCode == 1)
        #expect(embedded.stderr.contains(holder), "\(embedded.stderr)")
        #expect(embedded.stdout.isEmpty)
        let second = try await CLI.runAsync(["sandbox", "--port", "0", "--state", state], in: directory)
        #expect(second.exitCode == 1)
        #expect(second.stderr.contains(holder), "\(second.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before, "a refused sandbox wrote the state file")

        // Once the first has stopped, the file is free, and it holds the change.
        server.terminate()
        server.waitUntilExit()
        let after = try await CLI.runAsync(
            ["plan", "--sandbox", "--detailed-exitcode"] + PlanCommandTests.quickstart, in: directory)
        #expect(after.exitCode == 0, "\(after.stdout)\(after.stderr)")
    }

    /// In one process too: the second `Sandbox.withRunning` on a busy file throws, and the lock is
    /// free again once the first stops.
    @Test func inProcessSandboxesShareNoStateFile() async throws {
        let configuration = try sandboxConfiguration()
        try await Sandbox.withRunning(configuration) { _ in
            do {
                try await Sandbox.withRunning(configuration) { _ in }
                Issue.record("a second sandbox opened a busy state file")
            } catch let error as SandboxStore.StoreError {
                #expect("\(error)".contains("is in use by another sandbox (pid \(getpid()))"))
            }
        }
        try await Sandbox.withRunning(configuration) { sandbox in
            #expect(sandbox.partnerID == "demoPA")
        }
    }
}
