import Foundation
import PartnerSandbox
import Testing

@testable import WabaformCore

/// An answer the client cannot use (mistyped fields, HTML) is not "cannot reach": the doctor
/// says the API answered, names what it could not read, and what to do.
@Suite struct DoctorUnusableAnswerTests {
    @Test(
        "a partner answer with wrong types, or a proxy's HTML page: credentials could not be checked, what was unusable is named, no network advice",
        arguments: [(HostileMode.wrongTypes, "unexpected value at id"), (.html, "HTML")])
    func unusable(mode: HostileMode, named: String) async throws {
        var faults = FaultSettings.none
        faults.hostile = mode
        let report = try await Sandbox.withRunning(DoctorServiceTests.configuration(faults: faults)) {
            await DoctorServiceTests.run(DoctorServiceTests.environment($0))
        }
        let credentials = DoctorServiceTests.check(report, "credentials")
        #expect(credentials.status == .couldNotCheck)
        #expect(credentials.evidence.joined().contains(named), "\(credentials.evidence)")
        #expect(credentials.consequence.contains("answered, but not in a form wabaform can use"), "\(credentials.consequence)")
        #expect(credentials.consequence.contains("if --api-url (WABAFORM_API_URL) is right"))
        #expect(!credentials.consequence.contains("cannot reach"))
    }
}
