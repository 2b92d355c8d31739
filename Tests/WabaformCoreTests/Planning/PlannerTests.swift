import PartnerAPIRules
import Testing
import WabaformConfig
@testable import WabaformCore

@Suite struct PlannerTests {
    typealias F = PlannerFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var rules: String
        var channels: [F.TestChannel]
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "select: all sets every channel's webhook, placeholders filled per channel",
            rules: """
                  - select: all
                    webhook:
                      url: https://hooks.example.com/{client_id}/{channel_id}?n={phone_number}&w={waba_id}
                """,
            channels: [
                F.channel("aCH", phone: "491"),
                F.channel("bCH", client: "bCL", phone: "492", waba: "bWA", webhook: F.hook("https://old.example.com")),
            ],
            expected: [
                "channel.aCH.webhook create none -> https://hooks.example.com/acmeCL/aCH?n=491&w=acmeWA",
                "channel.bCH.webhook update https://old.example.com -> https://hooks.example.com/bCL/bCH?n=492&w=bWA",
            ]),
        Case(
            name: "a select map beats select: all; an id rule beats both",
            rules: """
                  - select: all
                    local_storage: DE
                  - select: { client.name: "Globex*" }
                    local_storage: GB
                  - id: g2CH
                    local_storage: off
                """,
            channels: [
                F.channel("aCH"), F.channel("g1CH", clientName: "Globex Ltd"),
                F.channel("g2CH", clientName: "Globex Ltd", storage: .known("GB")),
            ],
            expected: [
                "channel.aCH.local_storage create none -> DE", "channel.g1CH.local_storage create none -> GB",
                "channel.g2CH.local_storage delete GB -> none",
            ]),
        Case(
            name: "phone_number rules match by digits",
            rules: """
                  - phone_number: "+49 (151) 1000-0001"
                    local_storage: SG
                """,
            channels: [F.channel("aCH", phone: "4915110000001"), F.channel("bCH", phone: "4915110000002")],
            expected: ["channel.aCH.local_storage create none -> SG"]),
        Case(
            name: "region to region is replace; off to off and same region are unchanged; live case is normalised",
            rules: """
                  - select: all
                    local_storage: DE
                  - id: cCH
                    local_storage: GB
                  - id: dCH
                    local_storage: off
                """,
            channels: [F.channel("aCH", storage: .known("de")), F.channel("cCH", storage: .known("DE")), F.channel("dCH")],
            expected: ["channel.cCH.local_storage replace DE -> GB"]),
        Case(
            name: "URL scheme and host case do not count as a change; path case does",
            rules: """
                  - select: all
                    webhook: { url: "https://hooks.example.com/WA/{channel_id}" }
                """,
            channels: [
                F.channel("aCH", webhook: F.hook("HTTPS://Hooks.Example.COM/WA/aCH")),
                F.channel("bCH", webhook: F.hook("https://hooks.example.com/wa/bCH")),
            ],
            expected: ["channel.bCH.webhook update https://hooks.example.com/wa/bCH -> https://hooks.example.com/WA/bCH"]),
        Case(
            name: "headers: names case-insensitive, values compared, added header is an update",
            rules: """
                  - select: all
                    webhook:
                      url: https://h.example.com/{channel_id}
                      headers: { X-Secret: s1 }
                """,
            channels: [
                F.channel("aCH", webhook: F.hook("https://h.example.com/aCH", ["x-secret": "s1"])),
                F.channel("bCH", webhook: F.hook("https://h.example.com/bCH", ["X-Secret": "old"])),
                F.channel("cCH", webhook: F.hook("https://h.example.com/cCH")),
            ],
            expected: [
                "channel.bCH.webhook update https://h.example.com/bCH [X-Secret] -> https://h.example.com/bCH [X-Secret]",
                "channel.cCH.webhook update https://h.example.com/cCH -> https://h.example.com/cCH [X-Secret]",
            ]),
        Case(
            name: "unmanaged attributes are left out even when unknown",
            rules: """
                  - select: all
                    local_storage: DE
                """,
            channels: [F.channel("aCH", storage: .known("DE"), webhook: .unknown(reason: "no key"))],
            expected: []),
        Case(
            name: "select maps use globs over dotted paths; all fields must match",
            rules: """
                  - select: { client.name: "*Acme*", status: ready }
                    local_storage: IN
                """,
            channels: [
                F.channel("aCH", clientName: "The Acme Co"), F.channel("bCH", clientName: "The Acme Co", status: "pending"),
                F.channel("cCH", clientName: "Globex"),
            ],
            expected: ["channel.aCH.local_storage create none -> IN"]),
    ]

    @Test(arguments: cases)
    func plans(_ testCase: Case) throws {
        let outcome = try F.plan(F.header + testCase.rules, F.live(testCase.channels))
        #expect(outcome.diagnostics.filter(\.isError).isEmpty, "\(outcome.diagnostics)")
        #expect(F.summary(outcome.plan) == testCase.expected)
    }

    @Test func unchangedAttributesAreCountedNotListed() throws {
        let outcome = try F.plan(
            F.header + "  - select: all\n    local_storage: DE\n    webhook: { url: \"https://h.example.com/x\" }\n",
            F.live([
                F.channel("aCH", storage: .known("DE"), webhook: F.hook("https://h.example.com/x")),
                F.channel("bCH", storage: .known("DE"), webhook: F.hook("https://h.example.com/y")),
            ]))
        let plan = try #require(outcome.plan)
        #expect(plan.changes.count == 1)
        #expect(plan.unchangedCount == 3)
    }

    /// Two select-map rules of equal rank (lines 5 and 7): Acme's channels get DE, ready ones `second`.
    static func equalRankRules(second: String) -> String {
        F.header + """
              - select: { client.name: "Acme*" }
                local_storage: DE
              - select: { status: ready }
                local_storage: \(second)
            """
    }

    @Test func equalRankConflictNamesBothRulesAndTheChannel() throws {
        let yaml = Self.equalRankRules(second: "GB")
        let outcome = try F.plan(yaml, F.live([F.channel("aCH"), F.channel("bCH", status: "pending")]))
        #expect(outcome.plan == nil)
        let error = try #require(outcome.diagnostics.first)
        #expect(error.isError)
        #expect(error.location.line == 7)
        #expect(error.message.contains("rules at wabaform.yaml:5:5 and wabaform.yaml:7:5"))
        #expect(error.message.contains("channel aCH"))
        #expect(error.message.contains("local_storage"))
    }

    @Test func equalRankRulesThatAgreeAreFine() throws {
        let yaml = Self.equalRankRules(second: "de")
        let outcome = try F.plan(yaml, F.live([F.channel("aCH")]))
        #expect(F.summary(outcome.plan) == ["channel.aCH.local_storage create none -> DE"])
    }

    @Test func idAndPhoneMatchingNoChannelAreLocatedErrorsAndEmptySelectIsAWarning() throws {
        let yaml =
            F.header + """
                  - id: ghostCH
                    local_storage: DE
                  - phone_number: "+1 555 000"
                    local_storage: DE
                  - select: { client.name: "Nobody*" }
                    local_storage: DE
                """
        let outcome = try F.plan(yaml, F.live([F.channel("aCH")]))
        #expect(outcome.plan == nil)
        let rendered = outcome.diagnostics.map { "\($0.severity) \($0.location) \($0.message)" }
        #expect(
            rendered == [
                "error wabaform.yaml:4:5 no channel of partner demoPA has id ghostCH",
                "error wabaform.yaml:6:5 no channel of partner demoPA has phone number +1555000",
                "warning wabaform.yaml:8:5 select: {client.name: \"Nobody*\"} matches no channel",
            ])
        let warningOnly = try F.plan(
            F.header + "  - select: { client.name: \"Nobody*\" }\n    local_storage: DE\n", F.live([F.channel("aCH")]))
        #expect(warningOnly.plan?.warnings == ["wabaform.yaml:4:5: select: {client.name: \"Nobody*\"} matches no channel"])
    }

    @Test func unknownValuesAreReportedNeverChanged() throws {
        let yaml = F.header + "  - select: all\n    local_storage: DE\n    webhook: { url: \"https://h.example.com/x\" }\n"
        let outcome = try F.plan(
            yaml, F.live([F.channel("aCH", storage: .unknown(reason: "field missing"), webhook: .unknown(reason: "no channel key"))]))
        let plan = try #require(outcome.plan)
        #expect(plan.changes.isEmpty)
        #expect(plan.unknowns.map(\.address) == ["channel.aCH.local_storage", "channel.aCH.webhook"])
        #expect(plan.summaryLine == "Plan: 0 to create, 0 to update, 0 to delete, 0 to replace; 2 unknown.")
    }

    @Test(arguments: [("ready", true), ("live", true), ("pending", false), ("error", true), ("imported", true)])
    func localStorageOnALiveChannelIsDisruptive(status: String, disruptive: Bool) throws {
        let outcome = try F.plan(
            F.header + "  - select: all\n    local_storage: DE\n    webhook: { url: \"https://h.example.com/x\" }\n",
            F.live([F.channel("aCH", status: status)]))
        let plan = try #require(outcome.plan)
        #expect(plan.changes.first { $0.attribute == .channelLocalStorage }?.disruptive == disruptive)
        #expect(plan.changes.first { $0.attribute == .channelWebhook }?.disruptive == false)
    }

    @Test func partnerAttributes() throws {
        let yaml = """
            version: 1
            partner:
              id: demoPA
              webhook_url: https://hooks.example.com/partner
              redirect_url: https://app.example.com/done
              default_local_storage: GB
            """
        let live = LivePartner(id: "demoPA", webhookURL: "https://old.example.com/p", redirectURL: "", defaultLocalStorage: "DE")
        let outcome = try F.plan(yaml, F.live([], partner: live))
        #expect(
            F.summary(outcome.plan) == [
                "partner.default_local_storage update DE -> GB",
                "partner.redirect_url create none -> https://app.example.com/done",
                "partner.webhook_url update https://old.example.com/p -> https://hooks.example.com/partner",
            ])
        // Partner fields absent from the config are unmanaged.
        let minimal = try F.plan("version: 1\npartner: { id: demoPA }\n", F.live([], partner: live))
        #expect(minimal.plan?.changes.isEmpty == true)
        #expect(minimal.plan?.unchangedCount == 0)
        // default_local_storage: off against a region is a delete; against none, unchanged.
        let off = try F.plan("version: 1\npartner: { id: demoPA, default_local_storage: off }\n", F.live([], partner: live))
        #expect(F.summary(off.plan) == ["partner.default_local_storage delete DE -> none"])
    }

    @Test func applyThenPlanIsEmpty() throws {
        // Build the live state a perfect apply would leave, and plan again.
        let yaml =
            F.header + """
                  - select: all
                    webhook:
                      url: https://HOOKS.example.com/wa/{channel_id}
                      headers: { X-S: v }
                    local_storage: de
                """
        let channels = [F.channel("aCH"), F.channel("bCH", storage: .known("GB"))]
        let first = try #require(try F.plan(yaml, F.live(channels)).plan)
        var applied = channels
        for change in first.changes {
            let index = applied.firstIndex { "channel.\($0.channel.id)" == change.resource.address }!
            switch change.after {
            case .webhook(let url, let headers):
                applied[index].webhook = .known(
                    LiveWebhook(url: url, headers: Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })))
            case .region(let code): applied[index].channel.localStorage = .known(code)
            case .none: applied[index].channel.localStorage = .known(nil)
            case .text: break
            }
        }
        let second = try #require(try F.plan(yaml, F.live(applied)).plan)
        #expect(first.changes.count == 4)
        #expect(second.changes.isEmpty)
    }
}
