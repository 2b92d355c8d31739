import Foundation
import Testing

/// `wabaform --version` has one source, Sources/WabaformCLI/WabaformVersion.swift; release builds
/// stamp the release tag's version into a copy of it with scripts/version.sh.
@Suite struct VersionTests {
    static let versionFile = "Sources/WabaformCLI/WabaformVersion.swift"

    static func fixedVersion() throws -> String {
        let text = try Packaging.read(versionFile)
        let match = try #require(text.firstMatch(of: /\n    static let current = "([^"]*)"\n/))
        return String(match.output.1)
    }

    @Test func binaryPrintsTheVersionOfTheSource() throws {
        #expect(try Packaging.binaryVersion() == (try Self.fixedVersion()))
    }

    /// A repository holding the script and the version file, committed.
    static func repository() async throws -> String {
        let directory = try CLI.temporaryDirectory()
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory + "/scripts", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory + "/Sources/WabaformCLI", withIntermediateDirectories: true)
        try manager.copyItem(
            atPath: CLI.packageRoot.appendingPathComponent("scripts/version.sh").path, toPath: directory + "/scripts/version.sh")
        try manager.copyItem(atPath: CLI.packageRoot.appendingPathComponent(versionFile).path, toPath: directory + "/" + versionFile)
        let made = try await git("init -q . && git add . && git commit -qm first", in: directory)
        #expect(made.exitCode == 0, "\(made.stderr)")
        return directory
    }

    static func git(_ commands: String, in directory: String) async throws -> CLI.Result {
        let identity = [
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        ]
        return try await Packaging.bash(
            "git " + commands, in: directory, environment: identity.merging(["GIT_CONFIG_GLOBAL": "/dev/null"]) { a, _ in a })
    }

    static func version(in directory: String, _ arguments: [String] = []) async throws -> CLI.Result {
        try await Packaging.bash("bash scripts/version.sh \"$@\"", arguments, in: directory)
    }

    @Test func versionIsTheTagOnHeadElseTheFixedString() async throws {
        let repo = try await Self.repository()
        let fixed = try Self.fixedVersion()
        #expect(try await Self.version(in: repo).stdout == fixed + "\n")
        #expect(try await Self.git("tag v2.3.4", in: repo).exitCode == 0)
        #expect(try await Self.version(in: repo).stdout == "2.3.4\n")
        // A commit after the tag is not that release.
        #expect(try await Self.git("commit -q --allow-empty -m next", in: repo).exitCode == 0)
        #expect(try await Self.version(in: repo).stdout == fixed + "\n")
        #expect(try await Self.git("tag v2.4.0-rc.1", in: repo).exitCode == 0)
        #expect(try await Self.version(in: repo).stdout == "2.4.0-rc.1\n")
        // A tag that is not a semantic version is refused, not printed.
        #expect(try await Self.git("commit -q --allow-empty -m again && git tag v2.5", in: repo).exitCode == 0)
        let bad = try await Self.version(in: repo)
        #expect(bad.exitCode == 1)
        #expect(bad.stderr.contains("the tag v2.5 on HEAD is not v followed by a semantic version"))
    }

    @Test func stampWritesOnlyASemanticVersion() async throws {
        let repo = try await Self.repository()
        let stamped = try await Self.version(in: repo, ["--stamp", "3.0.0+build.7"])
        #expect(stamped.exitCode == 0, "\(stamped.stderr)")
        let original = try Packaging.read(Self.versionFile)
        let after = try String(contentsOfFile: repo + "/" + Self.versionFile, encoding: .utf8)
        #expect(after == original.replacingOccurrences(of: "\"\(try Self.fixedVersion())\"", with: "\"3.0.0+build.7\""))
        #expect(try await Self.version(in: repo).stdout == "3.0.0+build.7\n")
        for bad in [#"1.2.3"; print("x"); let y = ""#, "1.2", "v1.2.3", "1.2.3\n"] {
            let refused = try await Self.version(in: repo, ["--stamp", bad])
            #expect(refused.exitCode == 1, "\(bad)")
            #expect(try String(contentsOfFile: repo + "/" + Self.versionFile, encoding: .utf8) == after)
        }
    }
}
