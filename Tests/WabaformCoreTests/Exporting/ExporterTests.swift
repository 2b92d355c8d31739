import PartnerAPIRules
import Testing
import WabaformConfig
@testable import WabaformCore

@Suite struct ExporterTests {
    typealias F = PlannerFixtures

    /// Exports, then proves the text loads and plans to no changes against the same state
    /// (with each header variable set to its live value), as `export` itself does.
    static func export(
        _ live: LiveSnapshot, options: ExportOptions = .everything, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Exporter.Result {
        let result = Exporter.export(live, options: options)
        #expect(ExportCheck.problems(result, snapshot: live) == [], "\n\(result.text)", sourceLocation: sourceLocation)
        return result
    }

    /// The `channels:` part of an export, for compact expectations.
    static func channels(_ result: Exporter.Result) -> String {
        guard let range = result.text.range(of: "channels:\n") else { return "" }
        return String(result.text[range.upperBound...])
    }

    // MARK: The whole text

    @Test func aSmallPartnerInFull() {
        let live = F.live(
            [
                F.channel("a1CH", phone: "4915100000001", storage: .known("DE"), webhook: F.hook("https://hooks.example.com/wa/a1CH")),
                F.channel("a2CH", phone: "4915100000002", storage: .known("DE"), webhook: F.hook("https://hooks.example.com/wa/a2CH")),
                F.channel(
                    "b1CH", client: "bCL", clientName: "Bravo Ltd", phone: "447700900001", waba: "bWA", storage: .known(nil),
                    webhook: F.hook("https://bravo.example.com/hook", ["X-Hook-Secret": "s3cr3t-value"])),
            ], partner: LivePartner(id: "pa1", webhookURL: "https://hooks.example.com/360/partner", defaultLocalStorage: "DE"))
        let result = Self.export(live)
        #expect(
            result.text == """
                # Editors check this file against wabaform's JSON Schema (schemas/wabaform.schema.json) when its
                # first line is `# yaml-language-server: $schema=` and the schema's path or URL: export with
                # --schema-url (or WABAFORM_SCHEMA_URL) to write that line.
                #
                # Exported by `wabaform export` from the live state of partner pa1 (3 channels).
                # `wabaform plan` with this file shows no changes. Review it, commit it, then make it yours.
                #
                # Webhook header values are not written: each is a ${VARIABLE}. Before plan or apply, set
                # each variable below to the value that header has today, from wherever you keep it;
                # wabaform never reveals a header value.
                #   WABAFORM_HEADER_X_HOOK_SECRET: X-Hook-Secret on b1CH
                version: 1
                partner:
                  id: pa1
                  webhook_url: https://hooks.example.com/360/partner
                  default_local_storage: DE
                  # redirect_url is not set, so it is not managed (a config cannot say "not set")
                channels:
                  - select: all  # most common: the webhook of 2 and the local storage of 2 of 3 channels
                    webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
                    local_storage: DE
                  - id: b1CH  # +447700900001, Bravo Ltd
                    webhook:
                      url: https://bravo.example.com/hook
                      headers:
                        X-Hook-Secret: "${WABAFORM_HEADER_X_HOOK_SECRET}"
                    local_storage: off

                """)
        #expect(!result.text.contains("s3cr3t-value"))
        #expect(result.lineCount == 27)
    }

    // MARK: Templates

    struct TemplateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var channels: [F.TestChannel]
        /// The `select: all` URL expected, and the channels expected to need an id rule.
        var all: String?
        var exceptions: [String]
        var testDescription: String { name }
    }

    static let templateCases: [TemplateCase] = [
        TemplateCase(
            name: "URLs that differ by the channel id",
            channels: (1...4).map { F.channel("c\($0)CH", webhook: F.hook("https://h.example.com/wa/c\($0)CH")) },
            all: "https://h.example.com/wa/{channel_id}", exceptions: []),
        TemplateCase(
            name: "URLs that differ by the client id, across clients",
            channels: (1...4).map {
                F.channel("c\($0)CH", client: "cl\($0 % 2)CL", webhook: F.hook("https://h.example.com/clients/cl\($0 % 2)CL/wa"))
            },
            all: "https://h.example.com/clients/{client_id}/wa", exceptions: []),
        TemplateCase(
            name: "all four placeholders at once",
            channels: (1...3).map {
                F.channel(
                    "c\($0)CH", client: "k\($0)CL", phone: "4930\($0)", waba: "w\($0)WA",
                    webhook: F.hook("https://h.example.com/k\($0)CL/c\($0)CH?n=4930\($0)&w=w\($0)WA"))
            },
            all: "https://h.example.com/{client_id}/{channel_id}?n={phone_number}&w={waba_id}", exceptions: []),
        TemplateCase(
            name: "a client id inside the channel id is not cut out of it",
            channels: [
                F.channel("ab12CH", client: "12", webhook: F.hook("https://h.example.com/wa/ab12CH")),
                F.channel("cd34CH", client: "34", webhook: F.hook("https://h.example.com/wa/cd34CH")),
            ],
            all: "https://h.example.com/wa/{channel_id}", exceptions: []),
        TemplateCase(
            name: "a phone number inside a longer number fits only itself",
            channels: [
                F.channel("p1CH", phone: "4930001", webhook: F.hook("https://h.example.com/p/4930001")),
                F.channel("p2CH", phone: "4930002", webhook: F.hook("https://h.example.com/p/4930002")),
                F.channel("p3CH", phone: "4930003", webhook: F.hook("https://h.example.com/p/49300031")),
            ],
            all: "https://h.example.com/p/{phone_number}", exceptions: ["p3CH"]),
        TemplateCase(
            name: "a short client id that happens to be in the host is not a template",
            channels: [
                F.channel("x1CH", client: "hooks", webhook: F.hook("https://hooks.example.com/one")),
                F.channel("x2CH", client: "other", webhook: F.hook("https://hooks.example.com/two")),
            ],
            all: "https://hooks.example.com/one", exceptions: ["x2CH"]),
        TemplateCase(
            name: "the same URL everywhere is written as it is",
            channels: (1...3).map { F.channel("s\($0)CH", webhook: F.hook("https://h.example.com/shared")) },
            all: "https://h.example.com/shared", exceptions: []),
        TemplateCase(
            name: "a channel with no webhook keeps select: all from setting one",
            channels: [
                F.channel("n1CH", webhook: F.hook("https://h.example.com/wa/n1CH")),
                F.channel("n2CH", webhook: F.hook("https://h.example.com/wa/n2CH")),
                F.channel("n3CH", webhook: .known(nil)),
            ],
            all: nil, exceptions: ["n1CH", "n2CH"]),
        TemplateCase(
            name: "a webhook a config cannot hold keeps select: all from setting one",
            channels: [
                F.channel("u1CH", webhook: F.hook("https://h.example.com/wa/u1CH")),
                F.channel("u2CH", webhook: F.hook("https://h.example.com/wa/u2CH")),
                F.channel("u3CH", webhook: F.hook("https://h.example.com/wa/{u3CH}")),
            ],
            all: nil, exceptions: ["u1CH", "u2CH"]),
        TemplateCase(
            name: "an unread webhook may be covered: plan calls it unknown",
            channels: [
                F.channel("k1CH", webhook: F.hook("https://h.example.com/wa/k1CH")),
                F.channel("k2CH", webhook: .unknown(reason: "no channel key")),
                F.channel("k3CH", webhook: F.hook("https://h.example.com/wa/k3CH")),
            ],
            all: "https://h.example.com/wa/{channel_id}", exceptions: []),
        TemplateCase(
            name: "different headers are different webhooks",
            channels: [
                F.channel("h1CH", webhook: F.hook("https://h.example.com/wa/h1CH", ["X-Key": "one"])),
                F.channel("h2CH", webhook: F.hook("https://h.example.com/wa/h2CH", ["X-Key": "one"])),
                F.channel("h3CH", webhook: F.hook("https://h.example.com/wa/h3CH", ["X-Key": "two"])),
                F.channel("h4CH", webhook: F.hook("https://h.example.com/wa/h4CH")),
            ],
            all: "https://h.example.com/wa/{channel_id}", exceptions: ["h3CH", "h4CH"]),
    ]

    @Test(arguments: templateCases)
    func templateDetection(_ testCase: TemplateCase) {
        let result = Self.export(F.live(testCase.channels))
        let model = result.model
        let all = model.rules.first { $0.selector == ExportModel.Selector.all }
        #expect(all?.webhook?.url == testCase.all)
        let exceptions = model.rules.compactMap { rule -> String? in
            if case .channel(let id) = rule.selector, rule.webhook != nil { return id }
            return nil
        }
        #expect(exceptions == testCase.exceptions)
        // An exception is written as its URL, without placeholders.
        for rule in model.rules {
            if case .channel = rule.selector, let url = rule.webhook?.url { #expect(!url.contains("{")) }
        }
    }

    @Test func aClientThatSharesOtherValuesGetsOneSelectMap() {
        let live = F.live(
            (1...5).map {
                F.channel("m\($0)CH", client: "mainCL", clientName: "Main", webhook: F.hook("https://h.example.com/wa/m\($0)CH"))
            }
                + (1...3).map {
                    F.channel(
                        "z\($0)CH", client: "zetaCL", clientName: "Zeta AG", storage: .known("CH"),
                        webhook: F.hook("https://zeta.example.com/inbound"))
                })
        let result = Self.export(live)
        #expect(
            Self.channels(result) == """
                  - select: all  # most common: the webhook of 5 and the local storage of 5 of 8 channels
                    webhook: { url: "https://h.example.com/wa/{channel_id}" }
                    local_storage: off
                  - select: { client_id: zetaCL }  # Zeta AG, 3 channels
                    webhook: { url: "https://zeta.example.com/inbound" }
                    local_storage: CH

                """)
    }

    @Test func noWebhookIsListedAndEveryOtherWebhookIsWrittenPerChannel() {
        let live = F.live([
            F.channel("a1CH", phone: "4911", webhook: F.hook("https://h.example.com/wa/a1CH")),
            F.channel("a2CH", phone: "4912", webhook: .known(nil)),
        ])
        let result = Self.export(live)
        #expect(
            Self.channels(result) == """
                  # No webhook on 1 of 2 channels (below). A rule cannot say "no webhook", so no rule
                  # sets theirs, and the other webhooks are set per client or per channel, not by select: all:
                  #   a2CH
                  - select: all  # most common: the local storage of 2 of 2 channels
                    local_storage: off
                  - id: a1CH  # +4911, Acme GmbH
                    webhook: { url: "https://h.example.com/wa/a1CH" }

                """)
    }

    // MARK: Headers

    @Test func headerValuesBecomeVariablesOnePerDistinctValue() {
        let live = F.live([
            F.channel("h1CH", webhook: F.hook("https://h.example.com/1", ["X-Hook-Secret": "alpha-secret"])),
            F.channel(
                "h2CH", webhook: F.hook("https://h.example.com/2", ["x-hook-secret": "alpha-secret", "Authorization": "Bearer beta"])),
            F.channel("h3CH", webhook: F.hook("https://h.example.com/3", ["X-Hook-Secret": "gamma-secret"])),
            F.channel("h4CH", webhook: F.hook("https://h.example.com/4", ["X-Hook-Secret": "gamma-secret"])),
            F.channel("h5CH", webhook: F.hook("https://h.example.com/5", ["X-Hook-Secret": "gamma-secret"])),
        ])
        let result = Self.export(live)
        #expect(
            result.model.variables.map { $0.name } == [
                "WABAFORM_HEADER_AUTHORIZATION", "WABAFORM_HEADER_X_HOOK_SECRET", "WABAFORM_HEADER_X_HOOK_SECRET_h1CH",
            ])
        #expect(
            result.model.variables.map { $0.usage } == [
                "Authorization on h2CH", "X-Hook-Secret on h3CH and 2 more channels", "X-Hook-Secret on h1CH and 1 more channel",
            ])
        for secret in ["alpha-secret", "beta", "gamma-secret"] {
            #expect(!result.text.contains(secret))
            #expect(!"\(result.model)".contains(secret))
        }
        #expect(result.text.contains("    X-Hook-Secret: \"${WABAFORM_HEADER_X_HOOK_SECRET_h1CH}\""))
        #expect(result.text.contains("#   WABAFORM_HEADER_AUTHORIZATION: Authorization on h2CH\n"))
    }

    @Test func variableNamesStayValidAndUnique() {
        let names = HeaderVariableNaming.assign([
            "a.1CH": ["X-Key": Secret("1")], "b1CH": ["X-Key": Secret("2")], "c1CH": ["x_key": Secret("3")],
        ]).variables.map(\.name)
        #expect(Set(names).count == 3)
        for name in names {
            #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        }
    }

    // MARK: Comments, order, options

    @Test func unreadValuesGetACommentWhereTheChannelAppears() {
        let live = F.live([
            F.channel("r1CH", phone: "4901", webhook: F.hook("https://h.example.com/wa/r1CH")),
            F.channel(
                "r2CH", phone: "4902", storage: .known("GB"), webhook: .unknown(reason: "no channel key: set WABAFORM_CHANNEL_KEY_r2CH")),
            F.channel(
                "r3CH", phone: "4903", storage: .unknown(reason: "the API did not say"), webhook: F.hook("https://h.example.com/wa/r3CH")),
        ])
        let result = Self.export(live)
        #expect(
            Self.channels(result) == """
                  - select: all  # most common: the webhook of 2 and the local storage of 1 of 3 channels
                    webhook: { url: "https://h.example.com/wa/{channel_id}" }
                    local_storage: off
                  - id: r2CH  # +4902, Acme GmbH
                    # webhook not read (no channel key: set WABAFORM_CHANNEL_KEY_r2CH); select: all above sets it, so plan reports it as unknown until it can be read
                    local_storage: GB
                  # r3CH (+4903, Acme GmbH): local storage not read (the API did not say); select: all above sets it, so plan reports it as unknown until it can be read

                """)
        #expect(
            result.model.warnings == [
                "channel r2CH: webhook not read (no channel key: set WABAFORM_CHANNEL_KEY_r2CH); left out",
                "channel r3CH: local storage not read (the API did not say); left out",
            ])
    }

    @Test func withoutAnyKeyOneCommentSaysWebhooksWereNotRead() {
        let live = F.live((1...3).map { F.channel("w\($0)CH", webhook: .unknown(reason: "no channel key")) })
        let result = Self.export(live)
        #expect(Self.channels(result).hasPrefix("  # No channel's webhook could be read"))
        #expect(!result.text.contains("w2CH"))
        #expect(result.model.warnings.count == 1)
    }

    @Test func theSameStateGivesTheSameBytesInAnyOrder() {
        let channels = (1...40).map { i in
            F.channel(
                "c\(i)CH", client: "cl\(i % 4)CL", phone: "49\(i)", storage: .known(i % 3 == 0 ? "DE" : nil),
                webhook: i % 5 == 0
                    ? F.hook("https://x\(i).example.com/h", ["X-S": "v\(i % 2)"]) : F.hook("https://h.example.com/\(i)/c\(i)CH"))
        }
        let first = Self.export(F.live(channels))
        let second = Self.export(F.live(channels.reversed()))
        let third = Self.export(F.live(channels.shuffled()))
        #expect(first.text == second.text)
        #expect(first.text == third.text)
    }

    @Test func withAConfigOnlyWhatItManagesIsWritten() throws {
        let live = F.live(
            [
                F.channel("o1CH", storage: .known("DE"), webhook: F.hook("https://h.example.com/wa/o1CH")),
                F.channel("o2CH", storage: .known(nil), webhook: F.hook("https://h.example.com/wa/o2CH")),
            ], partner: LivePartner(id: "demoPA", webhookURL: "https://p.example.com/hook", redirectURL: "https://app.example.com/done"))
        let config = try F.config(F.header + "  - id: o1CH\n    local_storage: DE\n")
        let options = ExportOptions.managed(by: config)
        #expect(
            options
                == ExportOptions(
                    partnerWebhookURL: false, partnerRedirectURL: false, partnerDefaultLocalStorage: false, channelWebhooks: false))
        let result = Self.export(live, options: options)
        #expect(!result.text.contains("webhook"))
        #expect(!result.text.contains("redirect"))
        #expect(result.text.contains("# Only the attributes the given config manages are written."))
        #expect(
            Self.channels(result) == """
                  - select: all  # most common: the local storage of 1 of 2 channels
                    local_storage: off
                  - id: o1CH  # +4915110000001, Acme GmbH
                    local_storage: DE

                """)
    }

    @Test func valuesAConfigCannotHoldAreLeftOutWithAComment() {
        let live = F.live(
            [
                F.channel("v1CH", storage: .known("US"), webhook: F.hook("http://plain.example.com/hook")),
                F.channel("v2CH", storage: .known("DE"), webhook: F.hook("https://h.example.com/ok")),
            ], partner: LivePartner(id: "demoPA", webhookURL: "https://bad_host.example.com/x", defaultLocalStorage: "AE"))
        let result = Self.export(live)
        #expect(result.text.contains("  # webhook_url is not written: the URL host \"bad_host.example.com\" contains \"_\""))
        #expect(result.text.contains("  # default_local_storage AE is not a region a config can name, so it is not written"))
        #expect(
            result.text.contains(
                """
                  # v1CH (+4915110000001, Acme GmbH): webhook not written: its URL must use https, not http
                  # v1CH (+4915110000001, Acme GmbH): local storage US is not a region a config can name, so it is not written

                """))
        #expect(!result.text.contains("- select: all"), "v1CH blocks select: all for both attributes")
        #expect(
            result.text.contains(
                "  - id: v2CH  # +4915110000001, Acme GmbH\n    webhook: { url: \"https://h.example.com/ok\" }\n    local_storage: DE\n"))
        #expect(result.model.warnings.count == 4)
    }

    // MARK: Scalars

    @Test(arguments: [
        ("acme01CH", "acme01CH"), ("0123", "\"0123\""), ("off", "\"off\""), ("Yes", "\"Yes\""), ("", "\"\""),
        ("https://h.example.com/{channel_id}", "\"https://h.example.com/{channel_id}\""),
        ("https://h.example.com/a?b=c&d=e", "https://h.example.com/a?b=c&d=e"),
        ("https://h.example.com/#x", "\"https://h.example.com/#x\""), ("a: b", "\"a: b\""), ("-x", "\"-x\""),
        ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""), ("${X}", "\"$${X}\""), ("a$${b", "\"a$$${b\""), ("naïve", "\"naïve\""),
    ])
    func scalarsAreQuotedWhereNeeded(_ text: String, _ written: String) throws {
        #expect(ExportYAMLWriter.scalar(text) == written)
        // What is written reads back as the same text in a config.
        let config = try F.config("version: 1\npartner:\n  id: \(ExportYAMLWriter.scalar("p" + text.filter { !$0.isWhitespace }))\n")
        #expect(config.partner?.id == "p" + text.filter { !$0.isWhitespace })
    }

    @Test func commentsStayOnOneLine() {
        #expect(ExportYAMLWriter.comment("Acme\nGmbH\r# x", indent: 2) == "  # Acme GmbH # x")
    }
}
