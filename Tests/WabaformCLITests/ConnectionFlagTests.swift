import Foundation
import Testing

/// Connection flags belong to the commands that connect (issue 17): `--parallelism` is an
/// online flag; offline `validate` still accepts it for old scripts, says it is ignored, and
/// does not list it in its help.
@Suite struct ConnectionFlagTests {
    @Test("validate accepts --parallelism with a warning, keeps its exit code and output, and hides it from help")
    func validateIgnoresParallelism() throws {
        let result = try CLI.run(["validate", "-f", "examples/quickstart", "--parallelism", "4"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "valid: 1 file, 4 rules\n")
        #expect(
            result.stderr == "warning: --parallelism has no effect on validate, which reads no network; it is ignored and will be removed\n"
        )
        let help = try CLI.run(["validate", "--help"])
        #expect(!help.stdout.contains("--parallelism"))
    }

    @Test("online commands list --parallelism and check its range before any request")
    func onlineCommandsTakeParallelism() throws {
        for command in ["plan", "apply", "drift", "export", "doctor"] {
            let help = try CLI.run([command, "--help"])
            #expect(help.stdout.contains("--parallelism"), "\(command)")
            let refused = try CLI.run([command, "--parallelism", "0", "--api-url", "http://127.0.0.1:9"])
            #expect(refused.exitCode == 1, "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("--parallelism must be between 1 and 256"), "\(command): \(refused.stderr)")
        }
    }
}
