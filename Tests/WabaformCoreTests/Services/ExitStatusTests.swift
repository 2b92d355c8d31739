import Foundation
import Testing

@testable import WabaformConfig
@testable import WabaformCore

/// The exit codes are a contract users' scripts branch on: the README's table and `ExitStatus`
/// must name the same codes, and each command's outcome must map to the documented one.
@Suite struct ExitStatusTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("README's exit-code table lists exactly the codes ExitStatus has")
    func readmeTable() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Exit codes").dropFirst().first)
        let table = section.components(separatedBy: "\n## ").first ?? ""
        let codes = table.split(separator: "\n").compactMap { line -> Int32? in
            guard line.hasPrefix("| ") else { return nil }
            return Int32(line.dropFirst(2).prefix { $0 != " " })
        }
        #expect(codes == ExitStatus.allCases.map(\.rawValue))
    }

    @Test("validate: valid is 0 (warnings allowed), invalid is 1; --strict makes warnings invalid")
    func validation() {
        #expect(ExitStatus(ValidationOutcome(stdout: "valid", stderr: "", valid: true)) == .success)
        #expect(ExitStatus(ValidationOutcome(stdout: "", stderr: "invalid", valid: false)) == .failure)
    }

    @Test("plan: a report that failed is 1 whatever --detailed-exitcode says; no plan and no failure is 0")
    func plan() {
        var report = PlanService.Report()
        #expect(ExitStatus(report, detailed: true) == .success)
        report.errors = [.failed("could not read")]
        #expect(ExitStatus(report, detailed: true) == .failure)
        #expect(ExitStatus(report, detailed: false) == .failure)
    }

    @Test("apply: an error before writing is 1 even when something was also blocked; blocked is 4")
    func apply() {
        var report = ApplyService.Report()
        #expect(report.status == .success)
        report.blocked = ["disruptive change without --allow-disruptive"]
        #expect(report.status == .blocked)
        report.plan.errors = [.failed("could not read")]
        #expect(report.status == .failure)
    }
}
