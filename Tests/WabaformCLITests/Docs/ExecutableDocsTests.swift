import Foundation
import Testing

/// The docs are tested: every shell block of README.md and docs/*.md runs against the sandbox in
/// a scratch directory, and what the docs show a command printing (exit codes, plans, validate
/// messages, the export summary) is compared with what it prints. The conventions are in
/// docs/contributing.md; a failure names the document's file and line.
@Suite struct ExecutableDocsTests {
    /// README.md and docs/*.md; `WABAFORM_DOCS_TEST=docs/sandbox.md,README.md` runs only those.
    static let documents: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("docs").path)) ?? []
        let all = ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        guard let only = ProcessInfo.processInfo.environment["WABAFORM_DOCS_TEST"], !only.isEmpty else { return all }
        let chosen = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return all.filter(chosen.contains)
    }()

    static func steps(of document: String) throws -> [DocStep] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent(document), encoding: .utf8)
        return try DocBlocks.steps(in: text, file: document)
    }

    @Test(arguments: documents)
    func documentRunsAsWritten(_ document: String) async throws {
        let steps = try Self.steps(of: document)
        guard !steps.isEmpty else { return }
        let runner = DocRunner(packageRoot: CLI.packageRoot, executable: try CLI.executable())
        let started = ContinuousClock.now
        let outcome = try await runner.run(steps, file: document)
        let elapsed = (ContinuousClock.now - started).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))
        print("wabaform-docs: \(document): \(steps.count) steps, \(outcome.failures.count) failed, \(elapsed)")
        for failure in outcome.failures {
            Issue.record(Comment(rawValue: failure))
        }
    }

    /// The documents that must have something to run, so a broken reader cannot pass by finding nothing.
    @Test func theMainDocumentsHaveSteps() throws {
        for document in ["README.md", "docs/configuration.md", "docs/export.md", "docs/sandbox.md"] {
            let steps = try Self.steps(of: document)
            #expect(steps.count >= 3, "\(document) has \(steps.count) steps")
        }
        for document in ["README.md", "docs/configuration.md"] {
            #expect(
                try Self.steps(of: document).contains { if case .output = $0.kind { true } else { false } },
                "\(document) shows no checked output")
        }
    }

    // MARK: The harness itself

    static let sample = """
        # Title

        ```sh
        wabaform validate -f nowhere.yaml   # exit 1: nowhere.yaml … not found
        ```

        <!-- docs-test: skip (needs GitHub) -->
        ```sh
        gh pr comment
        ```

        <!-- docs-test: file conf/wabaform.yaml -->
        ```yaml
        version: 1
        ```

        <!-- docs-test: stdout of `wabaform validate -f conf`, exit 0 -->
        ```text
        valid: 1 file, 0 rules
        ```
        """

    @Test func readsBlocksMarkersAndTrailingComments() throws {
        let steps = try DocBlocks.steps(in: Self.sample, file: "x.md")
        #expect(steps.map(\.line) == [4, 13, 18])
        #expect(
            steps[0].kind
                == .run(
                    command: "wabaform validate -f nowhere.yaml   # exit 1: nowhere.yaml … not found", expectedExit: 1,
                    expectedText: ["nowhere.yaml", "not found"], answer: nil, background: false))
        #expect(steps[1].kind == .file(path: "conf/wabaform.yaml", content: "version: 1\n"))
        #expect(
            steps[2].kind
                == .output(command: "wabaform validate -f conf", stream: .stdout, expectedExit: 0, expected: "valid: 1 file, 0 rules\n"))
        let continued = try DocBlocks.commands(
            file: "y.md", firstLine: 10,
            body: [
                "a \\", "  b &   # in the background", "until grep -q x f; do", "  sleep 1", "done", "x # asks \"yes\"",
            ])
        #expect(continued.map(\.line) == [10, 12, 15])
        #expect(
            continued[0].kind
                == .run(command: "a \\\n  b &   # in the background", expectedExit: 0, expectedText: [], answer: nil, background: true))
        #expect(continued[2].kind == .run(command: "x # asks \"yes\"", expectedExit: 0, expectedText: [], answer: "yes", background: false))
    }

    @Test func aMisplacedOrUnknownMarkerIsAnErrorNamingItsLine() {
        #expect(throws: DocParseError.self) { try DocBlocks.steps(in: "<!-- docs-test: skip (x) -->\nprose\n", file: "a.md") }
        do {
            _ = try DocBlocks.steps(in: "text\n<!-- docs-test: stdout `x` -->\n```text\n```\n", file: "a.md")
            Issue.record("an unknown marker was accepted")
        } catch {
            #expect("\(error)".hasPrefix("a.md:2: unknown docs-test marker"))
        }
    }

    @Test func outputsMatchLineByLineWithEllipsis() {
        #expect(OutputMatch.difference(expected: "a\n...\nd\n", actual: "a\nb\nc\nd\n") == nil)
        #expect(OutputMatch.difference(expected: "a\n...\nd\n", actual: "a\nd\n") == nil)
        #expect(OutputMatch.difference(expected: "a\nb\n", actual: "a\nb\nc\n") != nil, "lines left out need a ...")
        let difference = OutputMatch.difference(expected: "a\nX\nc\n", actual: "a\nb\nc\n")
        #expect(difference?.hasPrefix("block line 2: the docs show 'X'") == true, "\(difference ?? "")")
    }

    /// A document whose output, exit code or text drifted from the program fails, naming the line.
    @Test func driftedDocumentsFailNamingFileAndLine() async throws {
        let document = """
            ```sh
            wabaform validate -f conf   # exit 0
            wabaform validate -f missing.yaml   # exit 1: missing.yaml … no such file
            ```

            <!-- docs-test: file conf/wabaform.yaml -->
            ```yaml
            version: 1
            channels:
              - select: all
                local_storage: DE
            ```

            <!-- docs-test: stdout of `wabaform validate -f conf` -->
            ```text
            valid: 1 file, 2 rules
            ```

            ```sh
            wabaform validate -f conf   # exit 1
            wabaform validate -f conf   # exit 0: valid: 7 files
            ```
            """
        let steps = try DocBlocks.steps(in: document, file: "drift.md")
        let runner = DocRunner(packageRoot: CLI.packageRoot, executable: try CLI.executable(), timeoutSeconds: 60)
        let outcome = try await runner.run(steps, file: "drift.md")
        let lines = outcome.failures.map { String($0.prefix { $0 != "\n" }) }
        // Line 2 runs before the file exists (line 6): the docs' order is the order of the run.
        #expect(lines.count == 4, "\(outcome.failures.joined(separator: "\n"))")
        #expect(lines.first?.hasPrefix("drift.md:2: `wabaform validate -f conf   # exit 0` exited 1, the docs say 0") == true)
        #expect(
            lines.contains {
                $0.hasPrefix("drift.md:15: the block shows what `wabaform validate -f conf` prints on stdout, but it differs")
            })
        #expect(lines.contains { $0.hasPrefix("drift.md:20: `wabaform validate -f conf   # exit 1` exited 0, the docs say 1") })
        #expect(
            lines.contains {
                $0.hasPrefix("drift.md:21: `wabaform validate -f conf   # exit 0: valid: 7 files` did not print 'valid: 7 files'")
            })
        #expect(!lines.contains { $0.hasPrefix("drift.md:3") }, "line 3 says what happens")
    }
}
