import Testing
import WabaformConfig
@testable import WabaformCore

/// A fleet with a few webhook-less channels exports as `select: all` plus a few carve-outs,
/// and the export plans to no changes against the state it came from.
@Suite struct ExportCarveOutTests {
    typealias F = PlannerFixtures

    @Test func aFewWebhooklessChannelsBecomeCarveOuts() {
        let live = F.live(
            (1...6).map { F.channel("f\($0)CH", phone: "49\($0)", webhook: F.hook("https://h.example.com/wa/f\($0)CH")) }
                + [F.channel("n1CH", phone: "4970", webhook: .known(nil))])
        let result = ExporterTests.export(live)
        #expect(
            ExporterTests.channels(result) == """
                  # 1 of 7 channels have no webhook (a rule cannot say so), so each has webhook: unmanaged
                  # below, which takes it out of select: all:
                  #   n1CH
                  - select: all  # most common: the webhook of 6 and the local storage of 7 of 7 channels
                    webhook: { url: "https://h.example.com/wa/{channel_id}" }
                    local_storage: off
                  - id: n1CH  # +4970, Acme GmbH
                    # no webhook: a rule cannot say "no webhook", so it is left unmanaged
                    webhook: unmanaged

                """)
    }

    @Test func aRegionAConfigCannotNameIsCarvedOutOfLocalStorage() {
        let live = F.live((1...4).map { F.channel("r\($0)CH", storage: .known("DE")) } + [F.channel("r9CH", storage: .known("AE"))])
        let result = ExporterTests.export(
            live,
            options: ExportOptions(
                partnerWebhookURL: false, partnerRedirectURL: false, partnerDefaultLocalStorage: false,
                channelWebhooks: false, channelLocalStorage: true))
        #expect(result.text.contains("  - select: all  # most common: the local storage of 4 of 5 channels\n    local_storage: DE\n"))
        #expect(
            result.text.contains(
                "  - id: r9CH  # +4915110000001, Acme GmbH\n    # local storage AE is not a region a config can name, so it is not written\n    local_storage: unmanaged\n"
            ))
    }

    @Test("when most channels have no webhook, id rules stay cheaper than carve-outs")
    func manyWebhooklessChannelsStayPerChannel() {
        let live = F.live(
            (1...2).map { F.channel("w\($0)CH", webhook: F.hook("https://h.example.com/wa/w\($0)CH")) }
                + (1...3).map { F.channel("z\($0)CH", webhook: .known(nil)) })
        let result = ExporterTests.export(live)
        #expect(!result.text.contains("unmanaged"))
        #expect(result.model.rules.first { $0.selector == .all }?.webhook == nil)
    }
}
