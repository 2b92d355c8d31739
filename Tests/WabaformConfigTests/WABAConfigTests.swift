import Foundation
import PartnerAPIRules
import Testing
@testable import WabaformConfig

/// `wabas:` rules: what loads, and the located messages for what does not.
@Suite("wabas: rules")
struct WABAConfigTests {
    @Test("the wabas fixture loads into the exact rules")
    func loads() throws {
        let result = ConfigLoader.load(
            paths: ["valid/wabas.yaml"], workingDirectory: Support.fixturesDirectory.path,
            environment: Support.environment)
        let config = try #require(result.config, "\(Diagnostic.renderText(result.diagnostics))")
        #expect(result.diagnostics.isEmpty)
        #expect(config.channelRules.isEmpty)
        let rules = config.wabaRules
        try #require(rules.count == 3)
        #expect(rules.map(\.index) == [0, 1, 2])
        #expect(rules[0].selector == .all)
        #expect(
            rules[0].webhook
                == WABAWebhookSpec(
                    urlTemplate: WebhookURLTemplate("https://hooks.example.com/waba/{waba_id}"),
                    headers: [WebhookHeader(name: "X-Hook-Secret", value: Secret("s3cr3t-hook-value"))], overrideAll: false))
        #expect(
            rules[1].selector
                == .match([
                    FieldMatch(
                        path: "name",
                        values: [
                            SelectValue(pattern: GlobPattern("Acme*")), SelectValue(pattern: GlobPattern("Acme Test*"), negated: true),
                        ])
                ]))
        #expect(rules[1].webhook.overrideAll)
        #expect(rules[2].selector == .id("123456789012345"))
        #expect(rules[2].selectorLocation == SourceLocation(file: "valid/wabas.yaml", line: 14, column: 5))
        #expect(rules[2].webhookLocation == SourceLocation(file: "valid/wabas.yaml", line: 15, column: 5))
    }

    @Test(
        "bad wabas entries get located, actionable messages",
        arguments: [
            (
                "wabas:\n  - select: all\n    webhook: { url: https://a.example.com, overide_all: true }\n",
                "6:44: error: unknown key 'overide_all' in a WABA webhook; did you mean 'override_all'?"
            ),
            (
                "wabas:\n  - select: all\n    webhook: { url: https://a.example.com, override_all: \"yes\" }\n",
                "6:58: error: override_all must be true or false (unquoted), not \"yes\""
            ),
            (
                "wabas:\n  - select: all\n    webhook: { url: \"https://a.example.com/{channel_id}\" }\n",
                "6:44: error: WABA webhook url cannot use {channel_id}: it is one URL for every number of the WABA; the only placeholder is {waba_id}"
            ),
            (
                "wabas:\n  - select: all\n    url: https://a.example.com\n",
                "6:5: error: unknown key 'url' in a wabas rule; did you mean webhook: { url: ... } (url belongs under webhook)?"
            ),
            (
                "wabas:\n  - select: { client.name: Acme }\n    webhook: { url: https://a.example.com }\n",
                "5:15: error: unknown field 'client.name' in a wabas select; did you mean name?"
            ),
            (
                "wabas:\n  - webhook: { url: https://a.example.com }\n",
                "5:5: error: this wabas rule has no selector; add id: <waba id>, select: all or select: { name: \"...\" }"
            ),
            (
                "wabas:\n  - id: W1\n",
                "5:5: error: this wabas rule has no webhook; add webhook: { url: https://... }"
            ),
            (
                "wabas:\n  select: all\n",
                "5:3: error: wabas must be a list of rules; start each rule with - (for example - select: all)"
            ),
            (
                "wabas:\n  - id: W1\n    webhook: { url: https://a.example.com }\n  - id: W1\n    webhook: { url: https://b.example.com }\n",
                "8:5: error: the WABA webhook is already set to a different value for WABA id W1 at wabaform.yaml:6:5; two wabas rules with the same selector must not set it differently (remove one, or merge them)"
            ),
        ])
    func problems(body: String, message: String) {
        let yaml = "version: 1\npartner:\n  id: p\n" + body
        let messages = Support.messages(yaml)
        #expect(messages.contains(message), "\(messages)")
    }

    @Test("a WABA webhook's header values never reach a diagnostic or its excerpt")
    func headersMasked() {
        let yaml = """
            version: 1
            partner:
              id: p
            wabas:
              - select: all
                webhook: { url: "https://a.example.com/{client_id}", headers: { X-Secret: "${HOOK_SECRET}", X-Other: "plain-secret-value" } }

            """
        let text = Support.diagnosticsText(yaml)
        #expect(text.contains("cannot use {client_id}"))
        for secret in Support.secretValues + ["plain-secret-value"] { #expect(!text.contains(secret)) }
    }

    @Test("validate counts WABA rules apart from channel rules")
    func summary() {
        let yaml = "version: 1\npartner:\n  id: p\nwabas:\n  - select: all\n    webhook: { url: https://a.example.com }\n"
        #expect(ConfigValidation.outcome(of: Support.load(yaml), format: .text).stdout == "valid: 1 file, 0 rules, 1 WABA rule\n")
    }

    @Test("a config without wabas has no WABA rules and the top level names wabas as a key")
    func topLevel() {
        #expect(Support.load("version: 1\npartner:\n  id: p\n").config?.wabaRules == [])
        let messages = Support.messages("version: 1\npartner:\n  id: p\nwaba:\n  - select: all\n")
        #expect(
            messages.contains { $0.hasPrefix("4:1: error: unknown key 'waba' at the top level") && $0.contains("wabas") }, "\(messages)")
    }
}
