import Foundation
import PartnerAPIRules
import Testing
@testable import WabaformCore

/// The doctor's verdicts for answers the sandbox does not give by default: each shape
/// alone, judged by the pure `DoctorAssessment`.
@Suite struct DoctorAssessmentTests {
    static let endpoints = Endpoints(
        apiURL: URL(string: "https://hub.example.com/api/v2")!, messagingURL: URL(string: "https://waba.example.com")!)

    static func channels(_ count: Int, region: Bool = true) -> [LiveChannel] {
        (0..<count).map { index in
            LiveChannel(
                id: String(format: "ch%03dCH", index), status: "ready",
                localStorage: region ? .known("DE") : .unknown(reason: "no field"))
        }
    }

    /// Findings of a healthy account with `total` channels, `perPage` on the first page.
    static func findings(total: Int = 3, perPage: Int? = nil, keys: ChannelKeys = .none) -> DoctorFindings {
        let all = channels(total)
        let first = Array(all.prefix(perPage ?? total))
        var findings = DoctorFindings(
            endpoints: endpoints, credentials: .apiKey(Secret("k")), partnerID: "demoPA", keys: keys, sampleSize: 5)
        findings.partner = .read(LivePartner(id: "demoPA"))
        findings.firstPage = .read(ChannelPageRead(channels: first, count: first.count, total: total, offset: 0, limit: perPage ?? 1_000))
        findings.invalidKeyProbe = probe(
            .read(.rejectedKey(APIError(operation: "GET webhook", status: 401, developerMessage: "Invalid", traceID: nil))), statuses: [401]
        )
        return findings
    }

    static func probe(_ result: DoctorFindings.Outcome<ChannelWebhookRead>, statuses: [Int?], id: String = "probe")
        -> DoctorFindings.WebhookRead
    {
        DoctorFindings.WebhookRead(channelID: id, result: result, statuses: statuses, keySource: nil)
    }

    /// The paging probe's second page: `channels` at `offset`, pages of `limit`, of `total`.
    static func secondPage(_ channels: [LiveChannel], total: Int, limit: Int) -> DoctorFindings.PagingProbe {
        .nextPage(.read(ChannelPageRead(channels: channels, count: channels.count, total: total, offset: limit, limit: limit)))
    }

    static func check(_ findings: DoctorFindings, _ name: String) -> DoctorCheck? {
        DoctorAssessment.checks(findings).first { $0.name == name }
    }

    @Test func aServerThatCapsPagesDidNotHoldAndWabaformStepsByItsSize() {
        var findings = Self.findings(total: 50, perPage: 20)
        let next = Array(Self.channels(50)[20..<40])
        findings.pagingProbe = Self.secondPage(next, total: 50, limit: 20)
        let size = Self.check(findings, "channel-page-size")
        #expect(size?.status == .didNotHold)
        #expect(size?.consequence == "the API sends at most 20 channels per page: wabaform steps by 20 (3 requests for 50)")
        #expect(Self.check(findings, "channel-page-order")?.status == .held)
    }

    @Test func overlappingPagesDidNotHold() {
        var findings = Self.findings(total: 4, perPage: 2)
        let overlapping = Array(Self.channels(4)[1..<3])
        findings.pagingProbe = Self.secondPage(overlapping, total: 4, limit: 2)
        let order = Self.check(findings, "channel-page-order")
        #expect(order?.status == .didNotHold)
        #expect(order?.evidence.contains("channels on both pages: ch001CH") == true)
    }

    @Test func someChannelsWithoutTheStorageFieldAreCounted() {
        var findings = Self.findings(total: 2)
        findings.firstPage = .read(
            ChannelPageRead(
                channels: Self.channels(1) + [LiveChannel(id: "zzzCH", localStorage: .unknown(reason: "no field"))], count: 2, total: 2,
                offset: 0, limit: 1_000))
        let check = Self.check(findings, "channel-storage-field")
        #expect(check?.status == .didNotHold)
        #expect(
            check?.consequence.hasPrefix("1 of 2 channels carry no local storage field: local_storage rules will show as unknown") == true)
    }

    @Test func noWebhookAnsweredAsSuccessDidNotHold() {
        var findings = Self.findings()
        findings.webhookReads = [Self.probe(.read(.none), statuses: [200], id: "ch000CH")]
        let check = Self.check(findings, "webhook-unset")
        #expect(check?.status == .didNotHold)
        #expect(check?.evidence == ["no webhook answered as a success: ch000CH: 200"])
    }

    @Test func aBadKeyAnswered404MeansDoNotTrustWebhookReads() {
        var findings = Self.findings()
        findings.invalidKeyProbe = Self.probe(.read(.none), statuses: [404])
        let check = Self.check(findings, "channel-key-rejected")
        #expect(check?.status == .didNotHold)
        #expect(check?.consequence.contains("do not apply webhook changes") == true)
        #expect(DoctorAssessment.checks(findings).contains { $0.stopsDoctor } == false)
    }

    @Test func anUnreachableMessagingAPIStopsTheDoctor() {
        var findings = Self.findings(keys: ChannelKeys(["ch000CH": Secret("key")]))
        findings.invalidKeyProbe = Self.probe(.failed("cannot connect to waba.example.com"), statuses: [nil, nil])
        let probe = Self.check(findings, "channel-key-rejected")
        #expect(probe?.status == .couldNotCheck && probe?.stopsDoctor == true)
        #expect(Self.check(findings, "channel-keys")?.status == .couldNotCheck)
        var report = DoctorReport()
        report.checks = DoctorAssessment.checks(findings)
        #expect(report.status == .failure)
    }

    @Test func a429WithoutRetryAfterDidNotHold() {
        var findings = Self.findings()
        let attempt = RequestRecorder.Attempt(
            host: "hub.example.com", method: "GET", path: "/api/v2/partners/demoPA", status: 429, duration: .milliseconds(5),
            sentRetryAfter: false, retryAfter: nil)
        findings.attempts = [attempt]
        findings.requestsPerSecond = 10
        #expect(Self.check(findings, "retry-after")?.status == .didNotHold)
        let rate = Self.check(findings, "rate-limit")
        #expect(rate?.status == .didNotHold)
        #expect(rate?.evidence == ["1 of 1 request(s) answered 429; client-side: at most 10 requests per second per host"])
    }

    @Test func aRejectedSampledKeyNamesItsSourceNeverTheKey() {
        var findings = Self.findings(keys: ChannelKeys(["ch000CH": Secret("sekrit-key")], source: "keys.yaml"))
        let refused = APIError(operation: "GET webhook", status: 401, developerMessage: "Invalid D360-API-KEY", traceID: nil)
        findings.webhookReads = [
            DoctorFindings.WebhookRead(channelID: "ch000CH", result: .read(.rejectedKey(refused)), statuses: [401], keySource: "keys.yaml")
        ]
        let check = Self.check(findings, "channel-keys")
        #expect(check?.status == .didNotHold)
        #expect(check?.evidence.contains("rejected: ch000CH (key from keys.yaml): 401 Invalid D360-API-KEY") == true)
        var report = DoctorReport()
        report.checks = DoctorAssessment.checks(findings)
        #expect(!report.renderText().contains("sekrit-key") && !report.renderJSON().contains("sekrit-key"))
    }

    @Test func unsafeCharactersAreEscaped() {
        #expect(DoctorText.safe("ok\u{1B}[31m\u{202E}x\u{200B}\u{7F}") == "ok\\u{1B}[31m\\u{202E}x\\u{200B}\\u{7F}")
        #expect(DoctorText.safe("Grüße, 東京") == "Grüße, 東京")
    }
}
