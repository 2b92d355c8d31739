import Foundation
import Testing

/// `--variant` on `wabaform sandbox` and `WABAFORM_SANDBOX_VARIANTS` on `--sandbox` runs, as a
/// user meets them (two process runs; the behaviour of each variant is tested in process).
@Suite struct SandboxVariantCLITests {
    @Test func helpListsEveryVariantAndBadNamesAreRefused() throws {
        let help = try CLI.run(["sandbox", "--help"])
        #expect(help.exitCode == 0)
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for name in [
            "rich-channels", "no-storage-field", "webhook-unset-null-url", "lean-token", "usage-limit-400", "write-applied-then-500",
        ] {
            #expect(flat.contains(name), "--help lacks \(name)")
        }
        let bad = try CLI.run(["sandbox", "--variant", "nope"])
        #expect(bad.exitCode == 1)
        #expect(bad.stderr.contains("nope"))
    }

    @Test func embeddedSandboxAnswersInTheNamedShapes() async throws {
        let directory = try CLI.temporaryDirectory()
        let environment = ["WABAFORM_SANDBOX_VARIANTS": "rich-channels, webhook-unset-null-url,lean-token"]
        let plan = try await CLI.runAsync(
            ["plan", "--sandbox", "--detailed-exitcode"] + PlanCommandTests.quickstart, in: directory, environment: environment)
        #expect(plan.exitCode == 2, "\(plan.stderr)")
        #expect(!plan.stderr.contains("error:"), "\(plan.stderr)")
        #expect(plan.stdout.contains("channel globex03CH"), "\(plan.stdout)")
        let bad = try await CLI.runAsync(
            ["plan", "--sandbox"] + PlanCommandTests.quickstart, in: directory, environment: ["WABAFORM_SANDBOX_VARIANTS": "nope"])
        #expect(bad.exitCode == 1)
        #expect(bad.stderr.contains("unknown sandbox variant \"nope\""), "\(bad.stderr)")
    }
}
