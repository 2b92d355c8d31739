import Foundation
import Testing
@testable import WabaformConfig

/// A config with 10,000 channel rules. Prints the time; asserts only correctness (time
/// depends on the machine). Measure in release mode with:
///   swift test -c release -Xswiftc -enable-testing --filter PerformanceTests
@Suite("Performance")
struct PerformanceTests {
    /// 10,000 rules: ids, phone numbers, select maps (one per status and client), one
    /// select: all; a quarter with webhooks and headers.
    static func tenThousandRules() -> String {
        var lines = [
            "version: 1",
            "partner:",
            "  id: ${WABAFORM_PARTNER_ID}",
            "  webhook_url: https://hooks.example.com/360/partner",
            "channels:",
            "  - select: all",
            "    webhook:",
            "      url: https://hooks.example.com/wa/{channel_id}",
            "      headers:",
            "        X-Hook-Secret: ${HOOK_SECRET}",
        ]
        for index in 1..<10_000 {
            switch index % 4 {
            case 0:
                lines += ["  - id: ch\(index)CH", "    local_storage: DE"]
            case 1:
                lines += ["  - phone_number: \"+49 151 \(String(format: "%07d", index))\"", "    local_storage: \"off\""]
            case 2:
                lines += ["  - select: { client.name: \"Client \(index)*\", status: ready }", "    local_storage: gb"]
            default:
                lines += [
                    "  - id: wh\(index)CH", "    webhook:", "      url: https://hooks.example.com/wa/\(index)/{channel_id}",
                    "      headers:", "        X-Hook-Secret: ${HOOK_SECRET}", "        X-Tenant: \"t\(index)\"",
                ]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("10,000 channel rules validate")
    func tenThousand() throws {
        let yaml = Self.tenThousandRules()
        let clock = ContinuousClock()
        var result: ConfigLoadResult?
        let elapsed = clock.measure {
            result = Support.load(yaml)
        }
        let config = try #require(result?.config, "\(Diagnostic.renderText(result?.diagnostics ?? []))")
        #expect(config.channelRules.count == 10_000)
        print("wabaform-perf: 10,000 rules (\(yaml.utf8.count) bytes) loaded and validated in \(elapsed)")
    }
}
