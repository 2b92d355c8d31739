import Foundation

/// Runs one document's steps as one bash script in a scratch directory, and checks what happened
/// against what the document says. Every failure names the document's file and line.
///
/// The scratch directory holds links to the package's files (so `-f examples/quickstart` works),
/// `bin/wabaform` (the one built executable), `.build/debug/wabaform` (the same), and `bin/swift`,
/// which runs `swift run wabaform ARGS` as that executable and takes `swift build` as done: the
/// test builds nothing. Steps share one shell, so `export`, `eval` and `cd` carry over, and
/// background jobs (a sandbox) are stopped when the document ends.
struct DocRunner {
    var packageRoot: URL
    var executable: URL
    /// For the whole document.
    var timeoutSeconds = 240

    struct Outcome {
        var failures: [String]
        var log: String
    }

    func run(_ steps: [DocStep], file: String) async throws -> Outcome {
        let scratch = try CLI.temporaryDirectory()
        let out = scratch + "/.docs-test"
        let fm = FileManager.default
        for directory in ["bin", "home", ".build/debug", ".docs-test"] {
            try fm.createDirectory(atPath: scratch + "/" + directory, withIntermediateDirectories: true)
        }
        for entry in try fm.contentsOfDirectory(atPath: packageRoot.path) where !entry.hasPrefix(".") {
            try fm.createSymbolicLink(atPath: scratch + "/" + entry, withDestinationPath: packageRoot.appendingPathComponent(entry).path)
        }
        try fm.createSymbolicLink(atPath: scratch + "/bin/wabaform", withDestinationPath: executable.path)
        try fm.createSymbolicLink(atPath: scratch + "/.build/debug/wabaform", withDestinationPath: executable.path)
        try Self.swiftStandIn.write(toFile: scratch + "/bin/swift", atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch + "/bin/swift")
        let script = scratch + "/.docs-test/script.sh"
        try Self.script(for: steps).write(toFile: script, atomically: true, encoding: .utf8)

        let result = try await CLI.runProgram(
            "/usr/bin/timeout",
            [
                "--kill-after=5", "\(timeoutSeconds)", "/bin/bash", "-c",
                "exec /bin/bash \"$0\" \"$1\" \"$2\" > \"$2/log\" 2>&1", script, scratch, out,
            ],
            in: scratch,
            environment: [
                "PATH": scratch + "/bin:/usr/local/bin:/usr/bin:/bin", "HOME": scratch + "/home", "SHELL": "/bin/bash", "LANG": "C.UTF-8",
            ])
        let log = (try? String(contentsOfFile: out + "/log", encoding: .utf8)) ?? ""
        var failures: [String] = []
        if result.exitCode == 124 || result.exitCode == 137 {
            let current = (try? String(contentsOfFile: out + "/current", encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let at = current.map { steps[$0].location } ?? file
            failures.append("\(at): timed out: \(file) did not finish within \(timeoutSeconds) s (this step was running)")
        }
        for (index, step) in steps.enumerated() {
            failures += check(step, results: read(index, in: out))
        }
        return Outcome(failures: failures, log: log)
    }

    struct StepResult {
        var exitCode: Int32?
        var stdout: String
        var stderr: String
    }

    func read(_ index: Int, in out: String) -> StepResult {
        func text(_ suffix: String) -> String {
            Self.clean((try? String(contentsOfFile: "\(out)/\(index).\(suffix)", encoding: .utf8)) ?? "")
        }
        let rc = Int32(text("rc").trimmingCharacters(in: .whitespacesAndNewlines))
        return StepResult(exitCode: rc, stdout: text("out"), stderr: text("err"))
    }

    /// Terminal output made comparable: no CR, no colour.
    static func clean(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacing(/\x{1B}\[[0-9;]*m/, with: "")
    }

    func check(_ step: DocStep, results: StepResult) -> [String] {
        let at = step.location
        switch step.kind {
        case .file:
            return results.exitCode == 0 ? [] : ["\(at): could not write the file: \(results.stderr)"]
        case .run(let command, let expectedExit, let expectedText, _, let background):
            guard let code = results.exitCode else { return ["\(at): not run (an earlier step stopped the document): \(command)"] }
            if background { return [] }
            var failures: [String] = []
            if code != expectedExit {
                failures.append(
                    """
                    \(at): `\(command)` exited \(code), the docs say \(expectedExit) \
                    (write `# exit N` after a command that is meant to exit N)\n\(Self.tail(results))
                    """)
            }
            let printed = results.stdout + "\n" + results.stderr
            if !Self.containsInOrder(printed, expectedText) {
                failures.append(
                    "\(at): `\(command)` did not print \(expectedText.map { "'\($0)'" }.joined(separator: " … "))\n\(Self.tail(results))")
            }
            return failures
        case .output(let command, let stream, let expectedExit, let expected):
            guard let code = results.exitCode else { return ["\(at): not run (an earlier step stopped the document): \(command)"] }
            var failures: [String] = []
            if code != expectedExit {
                failures.append("\(at): `\(command)` exited \(code), the docs say \(expectedExit)\n\(Self.tail(results))")
            }
            let actual =
                switch stream {
                case .stdout: results.stdout
                case .stderr: results.stderr
                case .output: results.stdout + results.stderr
                }
            if let difference = OutputMatch.difference(expected: expected, actual: actual) {
                failures.append("\(at): the block shows what `\(command)` prints on \(stream.rawValue), but it differs: \(difference)")
            }
            return failures
        }
    }

    static func tail(_ results: StepResult) -> String {
        let lines = (results.stdout + results.stderr).split(separator: "\n", omittingEmptySubsequences: false).suffix(12)
        return "  it printed (last lines):\n" + lines.map { "  | " + $0 }.joined(separator: "\n")
    }

    static func containsInOrder(_ text: Substring, _ pieces: [String]) -> Bool {
        var rest = text
        for piece in pieces {
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    static func containsInOrder(_ text: String, _ pieces: [String]) -> Bool { containsInOrder(text[...], pieces) }

    // MARK: The script

    static func script(for steps: [DocStep]) -> String {
        var script = """
            # Generated by the docs test (Tests/WabaformCLITests/Docs): one document's steps.
            set -u
            cd "$1" || exit 1
            OUT="$2"
            # Background jobs (sandboxes) get SIGTERM, and SIGKILL if they are still there 5 s later.
            __stop_jobs() {
              local pids; pids=$(jobs -p); [ -n "$pids" ] || return 0
              kill $pids 2>/dev/null
              for _ in $(seq 50); do kill -0 $pids 2>/dev/null || break; sleep 0.1; done
              kill -9 $pids 2>/dev/null; wait 2>/dev/null
            }
            trap __stop_jobs EXIT
            trap 'exit 143' TERM INT

            """
        for (index, step) in steps.enumerated() {
            script += "\necho \(index) > \"$OUT/current\"\n# \(step.location)\n"
            let files = "> \"$OUT/\(index).out\" 2> \"$OUT/\(index).err\""
            switch step.kind {
            case .file(let path, let content):
                let delimiter = "DOCS_TEST_EOF_\(index)"
                script += "mkdir -p \"$(dirname \(quote(path)))\" && cat > \(quote(path)) <<'\(delimiter)'\n\(content)\(delimiter)\n"
            case .run(let command, _, _, let answer?, _):
                script += "printf '%s\\n' \(quote(answer)) | script -qec \(quote(command)) /dev/null \(files)\n"
            case .run(let command, _, _, nil, _), .output(let command, _, _, _):
                script += "{\n\(command)\n} \(files) < /dev/null\n"
            }
            script += "echo $? > \"$OUT/\(index).rc\"\n"
        }
        return script
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `bin/swift` in the scratch directory.
    static let swiftStandIn = """
        #!/bin/sh
        # The docs test's swift: `swift run wabaform ARGS` is the executable the test suite built, and
        # `swift build` (debug) is already done. Anything else is not run by the docs test.
        if [ "$#" -ge 2 ] && [ "$1" = run ] && [ "$2" = wabaform ]; then shift 2; exec wabaform "$@"; fi
        if [ "$#" -eq 1 ] && [ "$1" = build ]; then exit 0; fi
        echo "docs-test: 'swift $*' is not run by the docs test; mark its block <!-- docs-test: skip (REASON) -->" >&2
        exit 127

        """
}
