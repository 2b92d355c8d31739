import Foundation
import Testing

/// What the packaging tests share: the command definitions as the binary describes them, a
/// release laid out as scripts/release.sh lays it out, and running the repository's scripts.
enum Packaging {
    struct Command {
        var name: String
        /// Every long flag and option, e.g. `--file`.
        var longNames: [String]
    }

    /// The root command's subcommands, from `wabaform --experimental-dump-help`: the description
    /// swift-argument-parser's completion and manual generators read.
    static func subcommands() throws -> [Command] {
        let dump = try CLI.run(["--experimental-dump-help"])
        #expect(dump.exitCode == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let root = try #require(json["command"] as? [String: Any])
        let subcommands = try #require(root["subcommands"] as? [[String: Any]])
        return try subcommands.map { command in
            let name = try #require(command["commandName"] as? String)
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            let longNames = arguments.flatMap { argument -> [String] in
                guard argument["kind"] as? String != "positional", argument["shouldDisplay"] as? Bool != false else { return [] }
                let names = argument["names"] as? [[String: Any]] ?? []
                return names.filter { $0["kind"] as? String == "long" }.compactMap { ($0["name"] as? String).map { "--" + $0 } }
            }
            return Command(name: name, longNames: longNames)
        }
    }

    /// The subcommands wabaform has today; the generated lists must contain at least these, so a
    /// broken description cannot make the checks vacuous.
    static let knownSubcommands: Set = ["validate", "plan", "apply", "drift", "export", "sandbox"]

    /// What `wabaform --version` prints.
    static func binaryVersion() throws -> String {
        let result = try CLI.run(["--version"])
        #expect(result.exitCode == 0)
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    /// A release of the built wabaform as scripts/release.sh lays it out
    /// (`wabaform-VERSION-linux-ARCH/bin/wabaform` in a tarball with a `.sha256` beside it),
    /// in a fresh directory. The binary is a symbolic link to the test build, which keeps the
    /// tarball small; `--version` runs the real binary.
    static func release(version: String) async throws -> (directory: String, name: String) {
        let directory = try CLI.temporaryDirectory()
        let arch = try await bash("uname -m", in: directory).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "wabaform-\(version)-linux-\(arch == "arm64" ? "aarch64" : arch)"
        let script = """
            set -e
            mkdir -p stage/"$1"/bin stage/"$1"/share/man/man1
            ln -s "$2" stage/"$1"/bin/wabaform
            cp "$3" stage/"$1"/share/man/man1/wabaform.1
            tar -C stage -czf "$1.tar.gz" "$1"
            sha256sum "$1.tar.gz" > "$1.tar.gz.sha256"
            """
        let manual = CLI.packageRoot.appendingPathComponent("docs/wabaform.1").path
        let made = try await bash(script, [name, try CLI.executable().path, manual], in: directory)
        #expect(made.exitCode == 0, "\(made.stderr)")
        return (directory, name)
    }

    /// Runs a bash script (`bash -c SCRIPT bash ARGS...`) as GitHub's `shell: bash` does: -e, pipefail.
    static func bash(
        _ script: String, _ arguments: [String] = [], in directory: String, environment: [String: String] = [:]
    ) async throws -> CLI.Result {
        try await CLI.runProgram(
            "/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script, "bash"] + arguments, in: directory,
            environment: environment)
    }

    static func read(_ relativePath: String) throws -> String {
        try String(contentsOf: CLI.packageRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }
}
