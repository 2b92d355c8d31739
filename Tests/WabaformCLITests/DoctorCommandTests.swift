import Foundation
import Testing

/// `wabaform doctor` as a user runs it: the embedded sandbox, its variants, the exit codes.
@Suite struct DoctorCommandTests {
    @Test func doctorAgainstTheSandboxExitsZero() throws {
        let result = try CLI.run(["doctor", "--sandbox"], in: try CLI.temporaryDirectory())
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("credentials: held\n"))
        #expect(result.stdout.contains("Requests sent: GET 9\n"))
        #expect(!result.stdout.contains("sbx_pk_demo_partner_key") && !result.stderr.contains("sbx_pk_demo_partner_key"))
    }

    @Test func withoutAStorageFieldItExitsTwoAndSaysWhatWabaformDoes() throws {
        let result = try CLI.run(
            ["doctor", "--sandbox"], in: try CLI.temporaryDirectory(), environment: ["WABAFORM_SANDBOX_VARIANTS": "no-storage-field"])
        #expect(result.exitCode == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("channel-storage-field: did not hold\n"))
        #expect(result.stdout.contains("channels carry no local storage field: local_storage rules will show as unknown"))
    }

    @Test func jsonForASupportTicket() throws {
        let result = try CLI.run(["doctor", "--sandbox", "--format", "json", "--sample", "1"], in: try CLI.temporaryDirectory())
        #expect(result.exitCode == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["exit_code"] as? Int == 0)
        #expect(object["requests"] as? [String: Int] == ["GET": 5])
    }

    @Test func anUnknownVariantIsAnError() throws {
        let result = try CLI.run(
            ["doctor", "--sandbox"], in: try CLI.temporaryDirectory(), environment: ["WABAFORM_SANDBOX_VARIANTS": "no-such-thing"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("WABAFORM_SANDBOX_VARIANTS: unknown sandbox variant \"no-such-thing\"; known: "))
    }

    @Test func withoutAPartnerIDItSaysWhereToSetOne() throws {
        let result = try CLI.run(["doctor"], in: try CLI.temporaryDirectory(), environment: ["WABAFORM_API_KEY": "k"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("error: no partner id: set WABAFORM_PARTNER_ID"))
    }
}
