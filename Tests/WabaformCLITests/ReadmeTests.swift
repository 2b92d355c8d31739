import Foundation
import Testing

/// The README's examples work as written.
@Suite struct ReadmeTests {
    static let readme = (try? String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    /// The fenced block of `language` that follows `heading`.
    static func block(after heading: String, language: String) throws -> String {
        let section = try #require(readme.range(of: heading), "README has no \(heading)")
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```\(language)\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    @Test func configurationExampleValidates() throws {
        let directory = try CLI.temporaryDirectory()
        try Self.block(after: "## Configuration", language: "yaml").write(
            toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate"], in: directory, environment: ["WABAFORM_PARTNER_ID": "demoPA", "HOOK_SECRET": "s"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "valid: 1 file, 4 rules\n")
    }

    /// Every flag a command's `--help` lists is named in README.md.
    @Test(arguments: ["validate", "plan", "apply", "drift", "export", "doctor", "sandbox"])
    func everyFlagIsInTheReadme(_ command: String) throws {
        let help = try CLI.run([command, "--help"])
        #expect(help.exitCode == 0)
        let flags = Set(help.stdout.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) }).subtracting(["--help"])
        #expect(!flags.isEmpty)
        for flag in flags.sorted() {
            // As `--flag`, `-f/--flag` or `wabaform --flag`.
            let named = ["`\(flag)", "/\(flag)", "wabaform \(flag)"].contains { Self.readme.contains($0) }
            #expect(named, "README.md does not name `\(command) \(flag)`")
        }
    }

    @Test func setUpCommandsAreTheOnesTestedAndRunByCI() throws {
        let setUp = try Self.block(after: "## Set up", language: "sh")
        #expect(setUp == "swift run wabaform plan --sandbox -f examples/quickstart\n")
        let ci = try String(contentsOf: CLI.packageRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("<!-- ci:test-command -->"), ".ci/run reads its test command from README.md")
        #expect(Self.readme.contains("<!-- ci:test-command -->\n```sh\nswift test --no-parallel\n```"))
    }

    @Test func quickstartExcerptMatchesTheRealPlan() async throws {
        let result = try await CLI.runAsync(
            ["plan", "--sandbox", "-f", CLI.packageRoot.appendingPathComponent("examples/quickstart").path],
            in: try CLI.temporaryDirectory())
        let excerpt = try Self.block(after: "## The quickstart", language: "text")
        for line in excerpt.split(separator: "\n") where line != "..." {
            #expect(result.stdout.contains(line), "README shows a line the plan does not print: \(line)")
        }
    }
}
