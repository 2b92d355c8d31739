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
        try Self.block(after: "## Configuration", language: "yaml").write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate"], in: directory, environment: ["WABAFORM_PARTNER_ID": "demoPA", "HOOK_SECRET": "s"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "valid: 1 file, 4 rules\n")
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
            ["plan", "--sandbox", "-f", CLI.packageRoot.appendingPathComponent("examples/quickstart").path], in: try CLI.temporaryDirectory())
        let excerpt = try Self.block(after: "## The quickstart", language: "text")
        for line in excerpt.split(separator: "\n") where line != "..." {
            #expect(result.stdout.contains(line), "README shows a line the plan does not print: \(line)")
        }
    }
}
