import Foundation
import Testing

/// scripts/release.sh for real: a static release build, about 15-25 minutes on 2 cores, so it runs
/// only with WABAFORM_RELEASE_TEST=1 (`WABAFORM_RELEASE_TEST=1 swift test --filter ReleaseTests`),
/// never in CI's `swift test`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["WABAFORM_RELEASE_TEST"] == "1", "set WABAFORM_RELEASE_TEST=1"))
struct ReleaseTests {
    @Test(.timeLimit(.minutes(60)))
    func tarballUnpacksToTheStampedStaticBinaryWithCompletionsAndManPage() async throws {
        let out = try CLI.temporaryDirectory()
        let version = "9.8.7-test.1"
        let release = try await CLI.runProgram(
            "/bin/bash", ["scripts/release.sh", "--version", version, "--out", out], in: CLI.packageRoot.path,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        #expect(release.exitCode == 0, "\(release.stdout)\(release.stderr)")
        let arch = try await Packaging.bash("uname -m", in: out).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "wabaform-\(version)-linux-\(arch)"
        let check = try await Packaging.bash(
            """
            sha256sum -c "$1.tar.gz.sha256"
            tar -xzf "$1.tar.gz"
            ! ldd "$1/bin/wabaform" | grep -E 'libswift|libFoundation'
            "$1/bin/wabaform" --version
            test -s "$1/share/bash-completion/completions/wabaform"
            test -s "$1/share/zsh/site-functions/_wabaform"
            test -s "$1/share/fish/vendor_completions.d/wabaform.fish"
            grep -q '^.It Em validate$' "$1/share/man/man1/wabaform.1"
            """, [name], in: out)
        #expect(check.exitCode == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasSuffix("\(version)\n"))
        // The checkout is untouched: the version was stamped into a copy.
        #expect(try Packaging.binaryVersion() == (try VersionTests.fixedVersion()))
        let status = try await Packaging.bash("git status --porcelain -- Sources", in: CLI.packageRoot.path)
        #expect(status.stdout.isEmpty)
    }
}
