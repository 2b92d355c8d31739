import Foundation
import PartnerSandbox
import Testing

@testable import WabaformCore

/// An answer the client cannot use (mistyped fields, HTML) is not "cannot reach": the doctor
/// says the API answered, names what it could not read, and what to do.
@Suite struct DoctorUnusableAnswerTests {
    @Test("a partner answer with wrong types: credentials could not be checked, the field is named, no network advice")
    func wrongTypes() async throws {
        var faults = FaultSettings.none
        faults.hostile = .wrongTypes
        let report = try await Sandbox.withRunning(DoctorServiceTests.configuration(faults: faults)) {
            await DoctorServiceTests.run(DoctorServiceTests.environment($0))
        }
        let credentials = DoctorServiceTests.check(report, "credentials")
        #expect(credentials.status == .couldNotCheck)
        #expect(credentials.evidence.joined().contains("unexpected value at id"), "\(credentials.evidence)")
        #expect(credentials.consequence.contains("answered, but not in a form wabaform can use"), "\(credentials.consequence)")
        #expect(!credentials.consequence.contains("cannot reach"))
    }

    @Test("a proxy's HTML page is an unusable answer too")
    func html() async throws {
        var faults = FaultSettings.none
        faults.hostile = .html
        let report = try await Sandbox.withRunning(DoctorServiceTests.configuration(faults: faults)) {
            await DoctorServiceTests.run(DoctorServiceTests.environment($0))
        }
        let credentials = DoctorServiceTests.check(report, "credentials")
        #expect(credentials.status == .couldNotCheck)
        #expect(credentials.evidence.joined().contains("HTML"), "\(credentials.evidence)")
        #expect(credentials.consequence.contains("if --api-url (WABAFORM_API_URL) is right"))
    }
}
