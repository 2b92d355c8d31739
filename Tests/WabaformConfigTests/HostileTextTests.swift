import Foundation
import PartnerAPIRules
import Testing
@testable import WabaformConfig

/// Issue 14, items 3, 4 and 9 for configs. The `hostile-*` fixtures under
/// `Fixtures/invalid/` keep the exact output as goldens; these tests state the rules.
@Suite struct HostileConfigTextTests {
    static let value = "s3cr3t-hook-value"

    /// Every malformed shape around a header, each alone in a file: the value shows nowhere,
    /// in text or JSON.
    @Test(
        "no shape of mistake around headers shows a header value",
        arguments: [
            "    webhook:\n      url: https://h.example.com/wa\n      header:\n        X-Hook-Secret: VALUE\n",
            "    headers: { X-Hook-Secret: VALUE }\n    webhook: { url: https://h.example.com/wa }\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers:\n        X-A: VALUE\n        x-a: VALUE\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers: { X-A: VALUE }\n    webhook:\n      url: https://h.example.com/wa\n      headers: { X-A: VALUE }\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers: { X-A: VALUE, X-B: \"VALUE\"\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers:\n        X-A: \"VALUE\n        X-B: VALUE\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers:\n      X-A: VALUE\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers:\n        - X-A: VALUE\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers:\n        X-A:\n          nested: VALUE\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers:\n        X-A: |\n          VALUE\n        X-A: VALUE\n",
            "    webhook:\n      url: https://h.example.com/wa\n      \"headers\": {X-A: VALUE}}\n",
            "    webhook:\n      url: https://h.example.com/wa/${X:VALUE}\n",
            "    webhook:\n      url: https://h.example.com/wa\n      headers: { X-A: \"${X:VALUE}\" }\n",
            "headers:\n  X-A: VALUE\n    bad indent\n",
        ])
    func headerShapes(rule: String) {
        let yaml =
            "version: 1\npartner: { id: pa-1 }\nchannels:\n  - id: a01CH\n" + rule.replacingOccurrences(of: "VALUE", with: Self.value)
        let result = Support.load(yaml)
        #expect(result.diagnostics.contains { $0.isError }, "this shape is an error:\n\(yaml)")
        for format in [DiagnosticFormat.text, .json] {
            let outcome = ConfigValidation.outcome(of: result, format: format)
            let output = outcome.stdout + outcome.stderr
            #expect(!output.contains(Self.value) && !output.contains("s3cr3t-"), "\(format) shows the value:\n\(output)")
        }
    }

    @Test("${VAR:text} says what to write, and never quotes the text after the colon")
    func colonDefault() {
        let messages = Support.messages("version: 1\npartner: { id: \"${WABAFORM_PARTNER_ID:pa-s3cr3t}\" }\n")
        #expect(
            messages.contains {
                $0.contains("${WABAFORM_PARTNER_ID:…} is not a variable reference") && $0.contains("${WABAFORM_PARTNER_ID:-...}")
            })
        #expect(!messages.joined().contains("s3cr3t"))
    }

    @Test("URLs with invisible or bidirectional characters, or an empty host, are rejected")
    func urls() {
        for url in [
            "https://hooks\u{200B}.example.com/x", "https://hooks.example.com/\u{202E}x", "https://a.example.com/\u{1B}[8m",
            "https://\u{2060}a.example.com/", "https://[]/x", "https://a.example.com/\u{FEFF}",
        ] {
            #expect(!WebhookURLRule.violations(of: url).isEmpty, "\(url.debugDescription)")
            let messages = Support.messages(
                "version: 1\npartner: { id: pa-1, webhook_url: \"\(url.unicodeScalars.map { $0.value < 0x80 ? String($0) : String(format: "\\u%04X", $0.value) }.joined().replacingOccurrences(of: "\u{1B}", with: "\\e"))\" }\n"
            )
            #expect(messages.contains { $0.contains("webhook_url") }, "\(url.debugDescription): \(messages)")
        }
        #expect(WebhookURLRule.violations(of: "https://[]/x") == [.missingHost])
        #expect(WebhookURLRule.violations(of: "https://hooks.example.com/wa?x=é").isEmpty, "ordinary non-ASCII is fine")
    }

    @Test("control characters in header names and values are rejected, a tab in a value is not")
    func headerControls() {
        #expect(HeaderRule.valueProblem("a\u{7}b") == "contains the control character U+0007, which an HTTP header cannot carry")
        #expect(HeaderRule.valueProblem("a\nb") == "contains a line break, which an HTTP header cannot carry")
        #expect(HeaderRule.valueProblem("a\u{85}b") != nil)
        #expect(HeaderRule.valueProblem("a\tb") == nil)
        #expect(!HeaderRule.isValidName("X-\u{1}A") && !HeaderRule.isValidName("X A") && HeaderRule.isValidName("X-Hook_1"))
        let messages = Support.messages(
            """
            version: 1
            partner: { id: pa-1 }
            channels:
              - id: a01CH
                webhook: { url: "https://h.example.com/wa", headers: { "X-\\u0001": v, X-B: "x\\u0007\(Self.value)" } }
            """)
        #expect(messages.contains { $0.contains("'X-\u{1}' is not a valid HTTP header name") }, "\(messages)")
        #expect(messages.contains { $0.contains("header X-B value contains the control character U+0007") }, "\(messages)")
        #expect(!messages.joined().contains(Self.value))
    }

    @Test("phone numbers are digits with an optional +, spaces, dashes and parentheses")
    func phoneNumbers() {
        #expect(PhoneNumber.problem("+49 (151) 1234-5678") == nil)
        for bad in ["1e3", "+49 151 x", "49+151", "+", "49.151", "４９"] { #expect(PhoneNumber.problem(bad) != nil, "\(bad)") }
        let messages = Support.messages("version: 1\npartner: { id: pa-1 }\nchannels:\n  - phone_number: 1e3\n    local_storage: DE\n")
        #expect(
            messages == [
                "4:19: error: phone_number \"1e3\" contains 'e'; write digits with an optional leading +, spaces, dashes or parentheses"
            ])
    }

    @Test("untrusted text in messages and excerpts is escaped in text and exact in JSON")
    func escaping() throws {
        // A raw U+202E in the file, and an ESC written as YAML's \e escape.
        let yaml = "version: 1\npartner: { id: pa-1 }\nchannels:\n  - id: a01CH\n    local_storage: \"D\u{202E}\\e[8mE\"\n"
        let text = Support.diagnosticsText(yaml)
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(text)")
        #expect(text.contains("unknown region code \"D\\u{202E}\\e[8mE\""), "\(text)")
        #expect(text.contains("    local_storage: \"D\\u{202E}\\e[8mE\"\n                   ^"), "\(text)")
        let json = ConfigValidation.outcome(of: Support.load(yaml), format: .json).stdout
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect((parsed.first?["message"] as? String)?.contains("\"D\u{202E}\u{1B}[8mE\"") == true, "JSON keeps the text exact: \(json)")
        // The caret still points at the column it names, after escapes before it widen the line.
        let raw = "version: 1\npartner: { id: pa-1 }\nchannels:\n  - { id: \"a\u{200B}\u{2066}b\", local_storage: XX }\n"
        let lines = Support.diagnosticsText(raw).split(separator: "\n").map(String.init)
        #expect(lines.count >= 3 && !lines.joined().unicodeScalars.contains { $0 == "\u{200B}" || $0 == "\u{2066}" }, "\(lines)")
        if lines.count >= 3, let at = lines[1].range(of: "XX"), let caret = lines[2].firstIndex(of: "^") {
            #expect(
                lines[1].distance(from: lines[1].startIndex, to: at.lowerBound) == lines[2].distance(from: lines[2].startIndex, to: caret),
                "\(lines)")
        }
    }
}
