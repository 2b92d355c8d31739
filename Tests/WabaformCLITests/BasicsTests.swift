import Foundation
import Testing

@Suite struct BasicsTests {
    @Test func versionAndHelp() throws {
        let version = try CLI.run(["--version"])
        #expect(version.exitCode == 0)
        #expect(version.stdout == "0.1.0\n")
        let help = try CLI.run(["--help"])
        #expect(help.exitCode == 0)
        for command in ["validate", "sandbox"] {
            #expect(help.stdout.contains(command))
            let commandHelp = try CLI.run([command, "--help"])
            #expect(commandHelp.exitCode == 0, "\(command) --help")
            #expect(commandHelp.stdout.contains("USAGE: wabaform \(command)"))
        }
    }

    @Test(arguments: [["nope"], ["validate", "--format", "yaml"], ["sandbox", "--fail-rate", "2"], ["validate", "--parallelism", "0"]])
    func badUsageExitsOne(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.exitCode == 1, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
    }

    @Test func demoSeedPrints() throws {
        let result = try CLI.run(["sandbox", "--print-demo-seed"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("id: demoPA"))
    }
}
