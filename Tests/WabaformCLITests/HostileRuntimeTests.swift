import Foundation
import PartnerSandbox
import Testing

/// Issue 14 (runtime): deadlines, bounds, concurrent applies, Ctrl-C and files, each kept as
/// a regression test against the real binary and the real sandbox over loopback. The
/// in-process half is `Tests/WabaformCoreTests/HostileRuntimeCoreTests.swift`.
enum HostileRuntime {
    /// `wabaform ARGS` started with its output going to files, so the test can signal it.
    struct Started {
        var process: Process
        var stdout: String
        var stderr: String

        func finish() async throws -> CLI.Result {
            let process = self.process
            try await CLI.offPool { process.waitUntilExit() }
            return CLI.Result(
                exitCode: process.terminationStatus, stdout: try String(contentsOfFile: stdout, encoding: .utf8),
                stderr: try String(contentsOfFile: stderr, encoding: .utf8))
        }
    }

    static func start(_ arguments: [String], in directory: String, environment: [String: String]) throws -> Started {
        let process = CLI.process(try CLI.executable(), arguments, in: directory, environment: environment)
        let name = UUID().uuidString
        let out = directory + "/\(name).out", err = directory + "/\(name).err"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, stdout: out, stderr: err)
    }

    /// Local storage and webhook writes the sandbox has answered so far.
    static func writes(_ sandbox: RunningSandbox) -> Int {
        sandbox.stats.snapshot().filter { $0.key.method == "POST" || $0.key.method == "PATCH" }.reduce(0) { $0 + $1.count }
    }

    static let storageConfig = """
        version: 1
        partner: { id: demoPA }
        channels:
          - select: all
            local_storage: GB
        """

    static func directory(config: String = storageConfig) throws -> String {
        let directory = try CLI.temporaryDirectory()
        try config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    /// The environment for `sandbox` with the apply lock kept under `directory`.
    static func environment(_ sandbox: RunningSandbox, lockDirectory directory: String) -> [String: String] {
        var env = WabaformCLITests.environment(for: sandbox)
        env["XDG_RUNTIME_DIR"] = directory + "/run"
        return env
    }

    /// An apply with every consent, at `parallelism`, in a fresh directory with the storage config.
    struct Apply {
        var directory: String
        var environment: [String: String]
        var arguments: [String]
    }

    static func apply(_ sandbox: RunningSandbox, parallelism: Int) throws -> Apply {
        let directory = try directory()
        return Apply(
            directory: directory, environment: environment(sandbox, lockDirectory: directory),
            arguments: ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change", "--parallelism", "\(parallelism)"])
    }

    /// Starts `apply` and returns once `ready` holds for the sandbox (or after 30 s).
    static func start(_ apply: Apply, _ sandbox: RunningSandbox, until ready: (RunningSandbox) -> Bool) async throws -> Started {
        let run = try start(apply.arguments, in: apply.directory, environment: apply.environment)
        let deadline = ContinuousClock.now + .seconds(30)
        while !ready(sandbox), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return run
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    static let crashWords = [
        "Fatal error", "Stack dump", "fatalError", "Swift runtime failure", "Illegal instruction", "failed to allocate",
    ]
}

@Suite(.serialized) struct HostileRuntimeDeadlineTests {
    /// `wabaform plan ARGS` against a server trickling one byte every 0.5 s, and how long it took.
    static func planAgainstTrickle(_ arguments: [String]) async throws -> (result: CLI.Result, took: Duration) {
        try await Sandbox.withRunning(try sandboxConfiguration(faults: FaultSettings(hostile: .trickle))) { sandbox in
            let directory = try HostileRuntime.directory()
            let start = ContinuousClock.now
            let result = try await CLI.runAsync(["plan"] + arguments, in: directory, environment: environment(for: sandbox))
            return (result, ContinuousClock.now - start)
        }
    }

    @Test("a server trickling one byte every 0.5 s: --timeout 1 ends plan within 30 s")
    func tricklingServerIsBoundedByTimeout() async throws {
        let (result, took) = try await Self.planAgainstTrickle(["--timeout", "1"])
        #expect(took < .seconds(30))
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("no answer from 127.0.0.1") && result.stderr.contains("within 1 s"), "\(result.stderr)")
    }

    @Test("--deadline ends a run that would take longer, with exit 1 and a message naming it")
    func deadlineEndsPlan() async throws {
        let (result, took) = try await Self.planAgainstTrickle(["--deadline", "2s"])
        #expect(took < .seconds(10))
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("error: the run did not finish within its deadline (--deadline 2s)"), "\(result.stderr)")
        #expect(!result.stderr.contains("error: cancelled"))
    }

    @Test("--deadline during apply's writes: exit 1, and the ledger says what was written")
    func deadlineDuringApplyPrintsTheLedger() async throws {
        let faults = FaultSettings(latencyMilliseconds: 300)
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 30, faults: faults)) { sandbox in
            let directory = try HostileRuntime.directory()
            let args = ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change", "--parallelism", "2", "--deadline", "4s"]
            var env = environment(for: sandbox)
            env["XDG_RUNTIME_DIR"] = directory
            let result = try await CLI.runAsync(args, in: directory, environment: env)
            #expect(result.exitCode == 1, "\(result.stderr)")
            #expect(result.stderr.contains("--deadline 4s") && result.stderr.contains("the ledger above says what was written"))
            let applied = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  applied  ") }.count
            #expect(applied > 0 && result.stdout.contains("Apply: \(applied) applied"), "\(result.stdout)")
            #expect(result.stdout.contains("cancelled"))
        }
    }
}

@Suite(.serialized) struct HostileRuntimeBoundsTests {
    @Test("a channel list claiming 10^12 channels is a clear error, not an allocation")
    func hugeTotalIsRefused() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(faults: FaultSettings(hostile: .hugeTotal))) { sandbox in
            let directory = try HostileRuntime.directory()
            let result = try await CLI.runAsync(["plan"], in: directory, environment: environment(for: sandbox))
            #expect(result.exitCode == 1)
            #expect(
                result.stderr.contains(
                    "error: list channels of partner demoPA failed: the API reported 1000000000000 channels, more than wabaform accepts"),
                "\(result.stderr)")
            for word in HostileRuntime.crashWords { #expect(!result.stderr.contains(word)) }
        }
    }

    static let badFlags: [[String]] = [
        ["plan", "--timeout", "inf"], ["plan", "--timeout", "1e300"], ["plan", "--timeout", "nan"], ["plan", "--timeout", "0"],
        ["plan", "--rate-limit", "1e-300"], ["plan", "--rate-limit", "inf"], ["plan", "--rate-limit=-1"],
        ["plan", "--deadline", "0s"], ["plan", "--deadline", "25h"], ["plan", "--deadline", "soon"],
        ["plan", "--parallelism", "0"], ["plan", "--parallelism", "1e9"], ["apply", "--lock-wait", "99999"],
        ["drift", "--timeout", "1e300"], ["export", "--rate-limit", "nan"],
        ["sandbox", "--rate-limit", "1e-300"], ["sandbox", "--port", "70000"], ["sandbox", "--latency=-5"],
        ["sandbox", "--fail-rate", "nan"], ["sandbox", "--token-ttl", "0"], ["sandbox", "--channels", "99999999"],
        ["sandbox", "--retry-after", "1e300"],
    ]

    @Test("every numeric flag is range-checked: a usage error, exit 1, naming the flag", arguments: badFlags)
    func numericFlagsAreValidated(arguments: [String]) async throws {
        let result = try await CLI.runAsync(arguments, in: try CLI.temporaryDirectory())
        #expect(result.exitCode == 1, "\(arguments): \(result.stderr)")
        let flag = arguments[1].split(separator: "=")[0]
        #expect(result.stderr.contains(String(flag)), "\(arguments): \(result.stderr)")
        for word in HostileRuntime.crashWords { #expect(!result.stderr.contains(word), "\(arguments): \(result.stderr)") }
    }
}

@Suite(.serialized) struct HostileRuntimeConcurrencyTests {
    @Test("two concurrent applies of one config make no more local storage calls than the fleet needs")
    func concurrentAppliesDoNotDoubleStorageCalls() async throws {
        let faults = FaultSettings(latencyMilliseconds: 20, jitterMilliseconds: 20, seed: 14)
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 40, faults: faults)) { sandbox in
            let directory = try HostileRuntime.directory()
            let env = HostileRuntime.environment(sandbox, lockDirectory: directory)
            let before = await sandbox.store.state
            let args = ["apply", "--auto-approve", "--allow-disruptive", "--allow-mass-change"]
            async let first = CLI.runAsync(args, in: directory, environment: env)
            try await Task.sleep(for: .milliseconds(200))
            async let second = CLI.runAsync(args, in: directory, environment: env)
            let results = try await [first, second]
            for result in results { #expect(result.exitCode == 0, "\(result.stderr)") }
            #expect(results.contains { $0.stderr.contains("waiting up to 30 s for another apply of this partner to finish (pid ") })
            let after = await sandbox.store.state
            var needed = 0
            for (id, call) in sandbox.stats.localStorageCalls() {
                let old = before.channels[id]?.localStorage, new = after.channels[id]?.localStorage
                let need = old == new ? 0 : (old == nil || new == nil ? 1 : 2)
                needed += need
                #expect(call.redundant == 0 && call.calls == need, "\(id): \(call)")
            }
            #expect(needed > 20)
        }
    }

    @Test("while another apply holds the partner's lock, apply --lock-wait 0 exits 4 naming the holder")
    func heldLockBlocksWithTheHolderNamed() async throws {
        // The demo seed's 12 channels (about 17 storage calls, one at a time, 300 ms each) hold
        // the lock for seconds after the first write: long enough for the second run to meet it.
        let faults = FaultSettings(latencyMilliseconds: 300)
        try await Sandbox.withRunning(try sandboxConfiguration(faults: faults)) { sandbox in
            let apply = try HostileRuntime.apply(sandbox, parallelism: 1)
            let holder = try await HostileRuntime.start(apply, sandbox) { HostileRuntime.writes($0) > 0 }
            let blocked = try await CLI.runAsync(
                apply.arguments + ["--lock-wait", "0"], in: apply.directory, environment: apply.environment)
            #expect(blocked.exitCode == 4, "\(blocked.stderr)")
            #expect(
                blocked.stderr.contains("another apply for partner demoPA is running (pid \(holder.process.processIdentifier) on host "),
                "\(blocked.stderr)")
            #expect(blocked.stderr.contains("Apply blocked: nothing was changed."))
            // The holder carried on undisturbed; Ctrl-C ends it early (its writes in flight
            // finish, exit 3), rather than waiting out every 300 ms write.
            kill(holder.process.processIdentifier, SIGINT)
            let finished = try await holder.finish()
            #expect([0, 3].contains(finished.exitCode), "\(finished.stderr)")
        }
    }
}

@Suite(.serialized) struct HostileRuntimeInterruptTests {
    @Test("the first Ctrl-C during writes starts no new write, lets those in flight finish, prints the ledger, exit 3")
    func firstInterruptStopsWritesAndPrintsTheLedger() async throws {
        let faults = FaultSettings(latencyMilliseconds: 250)
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 30, faults: faults)) { sandbox in
            let apply = try HostileRuntime.apply(sandbox, parallelism: 2)
            let run = try await HostileRuntime.start(apply, sandbox) { HostileRuntime.writes($0) >= 2 }
            kill(run.process.processIdentifier, SIGINT)
            let result = try await run.finish()
            #expect(run.process.terminationReason == .exit)
            #expect(result.exitCode == 3, "\(result.stderr)")
            #expect(result.stderr.contains("Interrupted: no new write starts"))
            let lines = result.stdout.split(separator: "\n")
            let applied = lines.filter { $0.hasPrefix("  applied  ") }.count
            let stopped = lines.filter { $0.contains("not started: apply was interrupted (Ctrl-C)") }.count
            #expect(applied >= 1 && stopped >= 10, "\(result.stdout)")
            // Nothing is written after it exits, and what it calls applied really is.
            let written = HostileRuntime.writes(sandbox)
            try await Task.sleep(for: .milliseconds(600))
            #expect(HostileRuntime.writes(sandbox) == written)
            let calls = sandbox.stats.localStorageCalls()
            #expect(calls.values.allSatisfy { $0.redundant == 0 })
            #expect(calls.values.reduce(0) { $0 + $1.effective } >= applied)
        }
    }

    @Test("Ctrl-C before any write exits 4 at once: nothing was changed")
    func interruptBeforeWritesChangesNothing() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration(faults: FaultSettings(hostile: .trickle))) { sandbox in
            let directory = try HostileRuntime.directory()
            let env = HostileRuntime.environment(sandbox, lockDirectory: directory)
            let run = try HostileRuntime.start(["apply", "--auto-approve"], in: directory, environment: env)
            try await Task.sleep(for: .seconds(1))
            let start = ContinuousClock.now
            kill(run.process.processIdentifier, SIGINT)
            let result = try await run.finish()
            #expect(ContinuousClock.now - start < .seconds(3))
            #expect(result.exitCode == 4)
            #expect(result.stderr.contains("Interrupted before any write: nothing was changed."))
        }
    }

    @Test("a second Ctrl-C exits at once")
    func secondInterruptExitsAtOnce() async throws {
        let faults = FaultSettings(latencyMilliseconds: 2_000)
        try await Sandbox.withRunning(try sandboxConfiguration(fleet: 10, faults: faults)) { sandbox in
            let apply = try HostileRuntime.apply(sandbox, parallelism: 2)
            // Writes in flight: the sandbox has received some (answered after 2 s).
            let run = try await HostileRuntime.start(apply, sandbox) {
                $0.stats.snapshot().filter({ $0.key.method == "GET" }).count >= 2 && HostileRuntime.writes($0) > 0
            }
            kill(run.process.processIdentifier, SIGINT)
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            kill(run.process.processIdentifier, SIGINT)
            let result = try await run.finish()
            #expect(ContinuousClock.now - start < .seconds(1))
            #expect(run.process.terminationReason == .uncaughtSignal)
            #expect(result.stderr.contains("Interrupted again: exiting at once."))
        }
    }
}

@Suite(.serialized) struct HostileRuntimeFileTests {
    @Test("plan and export --out refuse to overwrite an input config, however the path is spelled")
    func outNeverOverwritesAnInput() async throws {
        let directory = try HostileRuntime.directory()
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.yaml", withDestinationPath: directory + "/wabaform.yaml")
        try "{}".write(toFile: directory + "/keys.json", atomically: true, encoding: .utf8)
        let before = try String(contentsOfFile: directory + "/wabaform.yaml", encoding: .utf8)
        for args in [
            ["plan", "--out", "wabaform.yaml"], ["plan", "-f", "wabaform.yaml", "--out", "./sub/../wabaform.yaml"],
            ["plan", "-f", ".", "--out", "link.yaml"], ["plan", "-f", "wabaform.yaml", "--out", directory + "/wabaform.yaml"],
            ["plan", "--channel-keys", "keys.json", "--out", "keys.json"],
            ["export", "-f", "wabaform.yaml", "--out", "wabaform.yaml", "--force"],
        ] {
            let result = try await CLI.runAsync(args, in: directory)
            #expect(result.exitCode == 1, "\(args)")
            #expect(result.stderr.contains("is an input of this run"), "\(args): \(result.stderr)")
        }
        #expect(try String(contentsOfFile: directory + "/wabaform.yaml", encoding: .utf8) == before)
    }

    @Test("a saved plan is created 0600, an existing file keeps its mode; the sandbox's state and keys files are 0600")
    func secretFilesAreOwnerOnly() async throws {
        let configuration = try sandboxConfiguration()
        try await Sandbox.withRunning(configuration) { sandbox in
            #expect(HostileRuntime.mode(configuration.statePath!) == 0o600)
            #expect(HostileRuntime.mode(sandbox.keysFilePath!) == 0o600)
            let directory = try HostileRuntime.directory(
                config: "version: 1\npartner: { id: demoPA, webhook_url: \"https://hooks.example.com/p\" }\n")
            let env = environment(for: sandbox)
            let fresh = try await CLI.runAsync(["plan", "--out", "plan.json"], in: directory, environment: env)
            #expect(fresh.exitCode == 0, "\(fresh.stderr)")
            #expect(HostileRuntime.mode(directory + "/plan.json") == 0o600)
            try "old".write(toFile: directory + "/shared.json", atomically: true, encoding: .utf8)
            chmod(directory + "/shared.json", 0o640)
            let again = try await CLI.runAsync(["plan", "--out", "shared.json"], in: directory, environment: env)
            #expect(again.exitCode == 0, "\(again.stderr)")
            #expect(HostileRuntime.mode(directory + "/shared.json") == 0o640)
            #expect(try String(contentsOfFile: directory + "/shared.json", encoding: .utf8).contains("\"wabaform_saved_plan\" : \"2\""))
        }
    }

    @Test("a saved plan of format 1 is refused before anything is read: exit 4, saying why")
    func oldFormatPlanIsRefused() async throws {
        try await Sandbox.withRunning(try sandboxConfiguration()) { sandbox in
            let directory = try HostileRuntime.directory(
                config: "version: 1\npartner: { id: demoPA, webhook_url: \"https://hooks.example.com/p\" }\n")
            let env = environment(for: sandbox)
            #expect(try await CLI.runAsync(["plan", "--out", "plan.json"], in: directory, environment: env).exitCode == 0)
            let text = try String(contentsOfFile: directory + "/plan.json", encoding: .utf8)
                .replacingOccurrences(of: "\"wabaform_saved_plan\" : \"2\"", with: "\"wabaform_saved_plan\" : \"1\"")
            try text.write(toFile: directory + "/plan.json", atomically: true, encoding: .utf8)
            sandbox.stats.reset()
            let result = try await CLI.runAsync(["apply", "plan.json"], in: directory, environment: env)
            #expect(result.exitCode == 4)
            #expect(result.stderr.contains("the plan file has format 1; this wabaform reads only format 2"), "\(result.stderr)")
            #expect(sandbox.stats.snapshot().isEmpty, "nothing was read or written")
        }
    }
}
