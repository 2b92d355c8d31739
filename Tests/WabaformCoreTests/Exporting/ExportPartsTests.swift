import Foundation
import PartnerSandbox
import Testing
import WabaformConfig
import WabaformTestSupport
@testable import WabaformCore

/// An export larger than wabaform reads from one file: written as a directory of parts, which
/// `plan -f DIR` reads together to no changes. Part sizes are small here so a 1,000-channel
/// fleet needs several; the CLI uses 5 MiB (`ConfigLimits.maxFileBytes`).
@Suite struct ExportPartsTests {
    static func exportRequest(_ sandbox: RunningSandbox) async -> PlanService.Request {
        var request = await ServiceHarness.request(sandbox, paths: [], parallelism: 16)
        request.connection.environment["WABAFORM_PARTNER_ID"] = sandbox.partnerID
        return request
    }

    @Test("parts of at most the size asked for, in name order, plan to no changes from their directory")
    func partsPlanClean() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 1_000)) { sandbox in
            let request = await Self.exportRequest(sandbox)
            let whole = try #require(await ExportService.run(request).export)
            #expect(whole.parts.map(\.name) == ["wabaform.yaml"])
            #expect(whole.parts[0].text == whole.text)

            let partBytes = 16_384
            let report = await ExportService.run(request, layout: .directory(partBytes: partBytes))
            #expect(report.errors == [])
            let export = try #require(report.export)
            #expect(export.text == whole.text, "the one-file text is the same either way")
            let names = export.parts.map(\.name)
            #expect(export.parts.count >= whole.text.utf8.count / partBytes + 1)
            #expect(names == (1...names.count).map { String(format: "wabaform-%03d.yaml", $0) })
            #expect(export.parts.allSatisfy { $0.text.utf8.count <= partBytes })
            // The rules are the one file's, in its order: the parts without their own comments.
            func rules(_ text: Substring) -> [Substring] {
                text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("  #") }
            }
            let joined = export.parts.flatMap { rules(Substring($0.text)) }.filter { $0 != "version: 1" && $0 != "channels:" }
            #expect(joined == rules(Substring(whole.text)).filter { $0 != "version: 1" && $0 != "channels:" })
            #expect(export.lineCount == export.parts.reduce(0) { $0 + $1.text.filter { $0 == "\n" }.count })

            let directory = try Scratch.directory("export-parts")
            for part in export.parts { try part.text.write(toFile: directory + "/" + part.name, atomically: true, encoding: .utf8) }
            var plan = await ServiceHarness.request(sandbox, paths: [directory], parallelism: 16)
            for variable in export.model.variables { plan.connection.environment[variable.name] = variable.value.revealed }
            let planned = await PlanService.run(plan)
            #expect(planned.errors == [])
            #expect(planned.diagnostics.filter(\.isError).isEmpty, "\(planned.diagnostics)")
            #expect(try #require(planned.plan).isEmpty)
        }
    }

    @Test("as one file, an export over the size wabaform reads is not made: it says to export into a directory")
    func tooLargeForOneFile() async throws {
        #expect(ExportService.tooLarge(bytes: 7_780_138).hasPrefix("the export is 7.4 MiB, more than the 5 MiB wabaform reads"))
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 1_000)) { sandbox in
            let request = await Self.exportRequest(sandbox)
            let fits = try #require(await ExportService.run(request).export)
            let size = fits.text.utf8.count
            let refused = await ExportService.run(request, layout: .file(maxBytes: size - 1))
            #expect(refused.export == nil)
            #expect(refused.errors == [.failed(ExportService.tooLarge(bytes: size, maxBytes: size - 1))])
            #expect(refused.errors.description.contains("--out DIR/"))
            #expect(await ExportService.run(request, layout: .file(maxBytes: size)).export?.text == fits.text)
        }
    }
}
