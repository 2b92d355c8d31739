import ArgumentParser
import Synchronization

/// The root command. Every command parses flags, calls a service, and maps the result to
/// output and an exit code.
public struct Wabaform: AsyncParsableCommand {
    /// What `--version` prints: see WabaformVersion.
    public static let version = WabaformVersion.current

    public static let configuration = CommandConfiguration(
        commandName: "wabaform",
        abstract: "Declarative configuration for 360dialog Partner Hubs: webhooks, redirect URLs and local storage as code.",
        discussion: """
            Exit codes: 0 success, nothing pending; 1 error (invalid config, bad credentials, \
            unreachable API, bad usage); 2 changes pending; 3 partial apply; 4 blocked before any change.
            """,
        version: version,
        subcommands: WabaformCommands.all
    )

    public init() {}
}

/// Runs the command line and exits with the documented exit code.
public enum WabaformMain {
    /// Set by the executable when Swift Concurrency's jobs run on SwiftNIO's event loops
    /// (Sources/wabaform/main.swift); `-v` says which.
    public static let jobsOnEventLoops = Atomic<Bool>(false)
    /// Set by the executable when glibc's mmap threshold is fixed (main.swift); `-v` says so.
    public static let mmapThresholdFixed = Atomic<Bool>(false)

    public static func main(arguments: [String]? = nil) async -> Never {
        do {
            var command = try Wabaform.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Wabaform.exit()
        } catch {
            exit(withError: error)
        }
    }

    /// ArgumentParser's usage errors exit 64; wabaform's contract says 1 for bad usage.
    static func exit(withError error: any Error) -> Never {
        let code = Wabaform.exitCode(for: error)
        if code == .validationFailure {
            let message = Wabaform.fullMessage(for: error)
            StandardStreams.writeError(message + "\n")
            Wabaform.exit(withError: ExitCode(1))
        }
        Wabaform.exit(withError: error)
    }
}
