import PartnerAPIRules
import Foundation
import Testing
@testable import WabaformConfig

@Suite("${VAR} interpolation")
struct InterpolationTests {
    let environment = ["A": "alpha", "EMPTY": "", "B_2": "beta"]

    @Test(
        "expansions",
        arguments: [
            ("plain", "plain"),
            ("${A}", "alpha"),
            ("x-${A}-${B_2}", "x-alpha-beta"),
            ("${MISSING:-fallback}", "fallback"),
            ("${EMPTY:-fallback}", "fallback"),
            ("${EMPTY}", ""),
            ("${A:-unused}", "alpha"),
            ("${MISSING:-}", ""),
            ("$${A}", "${A}"),
            ("$$${A}", "$${A}"),
            ("cost: $5", "cost: $5"),
            ("$", "$"),
            ("${MISSING:-a:-b}", "a:-b"),
        ])
    func expands(raw: String, expected: String) {
        let expansion = Interpolation.expand(raw, environment: environment)
        #expect(expansion.problems.isEmpty)
        #expect(expansion.value == expected)
    }

    @Test(
        "problems, located at the $",
        arguments: [
            ("id: ${NOPE}", 4, "environment variable NOPE is not set; set it, or give a default: ${NOPE:-value}"),
            ("${a}", 0, "environment variable a is not set; did you mean A?"),
            ("x${}", 1, "empty variable name in ${}"),
            ("${1ABC}", 0, "invalid variable name \"1ABC\" in ${...}; names are letters, digits and _, not starting with a digit"),
            ("${A:default}", 0, "${A:…} is not a variable reference: a default value is written after :- ; write ${A:-...}"),
            ("ab${A", 2, "unterminated ${ (no closing }); write $${ for a literal ${"),
        ])
    func problems(raw: String, offset: Int, message: String) {
        let expansion = Interpolation.expand(raw, environment: environment)
        #expect(expansion.problems == [Interpolation.Problem(offset: offset, message: message)])
    }

    @Test("interpolation applies to values, not keys, and reports the column of ${")
    func inConfig() {
        let yaml = "version: 1\npartner:\n  id: \"p-${MISSING}\"\n  ${A}: x\n"
        #expect(
            Support.messages(yaml, environment: environment) == [
                "3:10: error: environment variable MISSING is not set; set it, or give a default: ${MISSING:-value}",
                "4:3: error: unknown key '${A}' in partner; expected one of: id, webhook_url, redirect_url, default_local_storage",
            ])
    }

    @Test("every scalar value is expanded, keywords included")
    func everyValue() throws {
        let yaml = "version: ${V}\npartner:\n  id: p\nchannels:\n  - select: ${S}\n    local_storage: ${R:-de}\n"
        let result = Support.load(yaml, environment: ["V": "1", "S": "all"])
        let rule = try #require(result.config?.channelRules.first)
        #expect(rule.selector == .all)
        #expect(rule.localStorage?.regionCode == "DE")
        #expect(
            Support.messages(yaml, environment: ["V": "2", "S": "all"])
                == ["1:10: error: unsupported version (from ${V}); this wabaform reads version 1"])
    }

    @Test("an expanded value is never quoted in a diagnostic")
    func expandedValuesStayHidden() {
        let yaml = "version: 1\npartner:\n  id: p\n  webhook_url: ${URL}\n  default_local_storage: ${REGION}\n"
        let text = Support.diagnosticsText(yaml, environment: ["URL": "http://sec_ret.example.com", "REGION": "zz-secret"])
        #expect(!text.contains("sec_ret") && !text.contains("zz-secret"))
        #expect(text.contains("partner.webhook_url must use https, not http (after expanding ${URL})"))
        #expect(text.contains("unknown region code (from ${REGION}) for partner.default_local_storage"))
    }
}

@Suite("Glob patterns")
struct GlobPatternTests {
    @Test(
        "matching",
        arguments: [
            ("Acme*", "Acme", true), ("Acme*", "Acme Corp", true), ("Acme*", "acme", false), ("Acme*", "The Acme", false),
            ("*Acme*", "The Acme Corp", true), ("*", "", true), ("*", "anything", true), ("ready", "ready", true),
            ("ready", "ready!", false), ("a*b*c", "abc", true), ("a*b*c", "aXbYc", true), ("a*b*c", "acb", false),
            ("a*a", "a", false), ("a*a", "aa", true), ("**", "x", true), ("*ü*", "Müller", true), ("", "", true), ("", "x", false),
            ("*ab", "aab", true), ("ab*ab", "abab", true), ("ab*ab", "aba", false),
        ])
    func matches(pattern: String, value: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(value) == expected)
    }

    @Test func literal() {
        #expect(GlobPattern("ready").isLiteral)
        #expect(!GlobPattern("re*").isLiteral)
    }
}

@Suite("Webhook URL templates")
struct WebhookURLTemplateTests {
    @Test func fill() {
        let template = WebhookURLTemplate("https://{client_id}.example.com/wa/{channel_id}?n={phone_number}&w={waba_id}&c={channel_id}")
        #expect(
            template.fill(channelID: "abcCH", clientID: "cl1", phoneNumber: "4915112345678", wabaID: "999")
                == "https://cl1.example.com/wa/abcCH?n=4915112345678&w=999&c=abcCH")
        #expect(template.placeholdersUsed == ["client_id", "channel_id", "phone_number", "waba_id"])
        #expect(template.hasPlaceholders)
        #expect(!WebhookURLTemplate("https://example.com/wa").hasPlaceholders)
    }

    @Test func tokens() {
        #expect(
            WebhookURLTemplate.tokens(of: "a{channel_id}b{x}{c") == [
                .literal("a"), .placeholder("channel_id", offset: 1), .literal("b"), .unknown("{x}", offset: 14),
                .unmatched("{", offset: 17), .literal("c"),
            ])
    }
}

@Suite("Secrets")
struct SecretTests {
    @Test("no printing path reveals the value")
    func hidden() {
        let secret = Secret("hunter2")
        let header = WebhookHeader(name: "X-A", value: secret)
        let spec = WebhookSpec(urlTemplate: WebhookURLTemplate("https://x.example.com"), headers: [header])
        var dumped = ""
        dump(spec, to: &dumped)
        for text in [
            "\(secret)", String(describing: secret), String(reflecting: secret), "\(header)", "\(spec)",
            String(reflecting: spec), dumped, "\([secret])", "\(Optional(secret) as Any)",
        ] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect("\(secret)" == "(sensitive)")
        #expect(secret.revealed == "hunter2")
    }
}

@Suite("Rendering")
struct RenderingTests {
    @Test("text: location, source line and caret; tabs kept for alignment")
    func text() {
        let diagnostic = Diagnostic(
            .error, at: SourceLocation(file: "w.yaml", line: 3, column: 6), "bad",
            excerpt: .init(line: "\tab: cd", caretColumn: 6))
        #expect(diagnostic.renderedText == "w.yaml:3:6: error: bad\n\tab: cd\n\t    ^\n")
        let whole = Diagnostic.warning(at: .wholeFile("w.yaml"), "read once")
        #expect(whole.renderedText == "w.yaml: warning: read once\n")
    }

    @Test("JSON: keys in order, strings escaped")
    func json() throws {
        let diagnostics = [
            Diagnostic.error(at: SourceLocation(file: "a \"b\".yaml", line: 1, column: 2), "tab\there\nline \\ \u{1}"),
            Diagnostic.warning(at: .wholeFile("c.yaml"), "w"),
        ]
        let json = Diagnostic.renderJSON(diagnostics)
        #expect(
            json == """
                [
                  {"file": "a \\"b\\".yaml", "line": 1, "column": 2, "severity": "error", "message": "tab\\there\\nline \\\\ \\u0001"},
                  {"file": "c.yaml", "line": 0, "column": 0, "severity": "warning", "message": "w"}
                ]

                """)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.first?["message"] as? String == "tab\there\nline \\ \u{1}")
        #expect(Diagnostic.renderJSON([]) == "[]\n")
    }

    @Test("validate: exit codes, streams and summaries")
    func validationOutcome() {
        let valid = Support.load("version: 1\npartner:\n  id: p\nchannels:\n  - id: a\n")
        let text = ConfigValidation.outcome(of: valid, format: .text)
        #expect(text.exitCode == 0)
        #expect(text.stdout == "valid: 1 file, 1 rule, 1 warning\n")
        #expect(text.stderr.hasPrefix("wabaform.yaml:5:5: warning: this rule sets neither webhook nor local_storage"))
        let json = ConfigValidation.outcome(of: valid, format: .json)
        #expect(json.exitCode == 0 && json.stderr.isEmpty && json.stdout.contains("\"severity\": \"warning\""))

        let invalid = Support.load("version: 3\npartner:\n  id: p\n")
        let failed = ConfigValidation.outcome(of: invalid, format: .text)
        #expect(failed.exitCode == 1)
        #expect(failed.stdout.isEmpty)
        #expect(
            failed.stderr == """
                wabaform.yaml:1:10: error: unsupported version 3; this wabaform reads version 1
                version: 3
                         ^
                invalid: 1 error

                """)
        #expect(ConfigValidation.outcome(of: Support.load("version: 1\npartner:\n  id: p\n"), format: .json).stdout == "[]\n")
    }

    @Test("diagnostics are sorted by file, line, column")
    func sorted() {
        let result = ConfigLoader.load(
            sources: [
                (path: "b.yaml", text: "version: 1\nfoo: 1\n"),
                (path: "a.yaml", text: "bar: 1\nversion: 2\npartner:\n  id: p\n"),
            ], environment: [:])
        #expect(result.diagnostics.map(\.location.description) == ["a.yaml:1:1", "a.yaml:2:10", "b.yaml:2:1"])
    }
}
