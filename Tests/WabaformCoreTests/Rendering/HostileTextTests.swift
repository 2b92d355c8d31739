import Foundation
@testable import PartnerAPIRules
import Testing
import WabaformConfig
@testable import WabaformCore

/// Issue 14, items 3 and 4 at the unit level: one redactor cuts every form of a secret;
/// untrusted text is shown escaped in text, Markdown and the ledger, and exact in JSON.
@Suite struct HostileTextTests {
    // MARK: Redaction

    @Test("a secret is cut raw, JSON-escaped, URL-encoded and in base64 at any offset")
    func everyForm() {
        let redactor = SecretRedactor()
        let secret = "hv/Se+cr\"et 91é"
        redactor.register(secret)
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: ["headers": ["X-Hook": secret]]), as: UTF8.self)
        let forms = [
            secret,
            SecretRedactor.jsonEscaped(secret, escapeSlash: true, asciiOnly: true),
            SecretRedactor.jsonEscaped(secret, escapeSlash: false, asciiOnly: false),
            secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
            json,
        ]
        for form in forms {
            let redacted = redactor.redact("before \(form) after")
            #expect(
                !redacted.contains("Se+cr") && !redacted.contains("cr\\\"et") && !redacted.contains("Se%2Bcr"), "\(form) -> \(redacted)")
            #expect(redacted.contains("(sensitive)") && redacted.hasPrefix("before ") && redacted.hasSuffix(" after"))
        }
        // Base64 of a longer text (an echoed request body), at each of the three alignments.
        for padding in ["", "x", "xy", "xyz"] {
            let body = #"{"url":"https://h.example.com","headers":{"X-Hook":"\#(padding)\#(secret)"}}"#
            let encoded = Data(body.utf8).base64EncodedString()
            let urlSafe = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            for text in [encoded, urlSafe] {
                let redacted = redactor.redact("echo: \(text)")
                #expect(redacted.contains("(sensitive)"), "padding \(padding.count): \(redacted)")
                let secretBase64 = Data(secret.utf8).base64EncodedString().dropLast(4)
                #expect(!redacted.contains(secretBase64.dropFirst(4)), "padding \(padding.count): \(redacted)")
            }
        }
    }

    @Test("the two base64 alphabets are one: `-` and `_` match `+` and `/`, in forms and in raw values")
    func base64AlphabetsAreOne() {
        let redactor = SecretRedactor()
        let secret = "sbx_ck_9f-3e?>?>~"  // base64 of it has `+` and `/`
        redactor.register(secret)
        let standard = Data(secret.utf8).base64EncodedString()
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(standard != urlSafe)
        for text in [secret, "sbx/ck/9f+3e?>?>~", standard, urlSafe, "sbx_ck/9f+3e…"] {
            let redacted = redactor.redact("[\(text)]")
            #expect(redacted.hasPrefix("[(sensitive)"), "\(text) -> \(redacted)")
            #expect(!redacted.contains("ck"), "\(text) -> \(redacted)")
        }
        // Other bytes are still compared as they are.
        #expect(redactor.redact("sbx.ck.9f.3e") == "sbx.ck.9f.3e")
    }

    @Test("a prefix of 6 or more characters is cut; 5 are not; short values only whole")
    func prefixes() {
        let redactor = SecretRedactor()
        redactor.register("PK_SECRET_7f3a9")
        #expect(redactor.redact("key starting PK_SEC…") == "key starting (sensitive)…")
        #expect(redactor.redact("key PK_SECRET_7f3a9!") == "key (sensitive)!")
        #expect(redactor.redact("key PK_SE…") == "key PK_SE…")
        redactor.register("abcd")
        #expect(redactor.redact("x abcd y abc") == "x (sensitive) y abc")
        redactor.register("abc")
        #expect(redactor.redact("abc") == "abc")
        // Never ends inside a multi-byte character.
        redactor.register("naïve-secret")
        #expect(redactor.redact("naïvete") == "naïvete")
        #expect(redactor.redact("naïve-s…") == "(sensitive)…")
        // A prefix inside a longer word is not a cut-off secret, and neither is a plain word:
        // a secret starting with `action-` must not cut `"action"` out of a JSON plan.
        #expect(redactor.redact("naïve-sEcret") == "naïve-sEcret")
        redactor.register("action-hook-secret-value")
        #expect(redactor.redact(#"{"action" : "create", "actions": 1}"#) == #"{"action" : "create", "actions": 1}"#)
        #expect(redactor.redact("echoed action-hook-s…") == "echoed (sensitive)…")
        #expect(redactor.redact("echoed action-hook-secret-value!") == "echoed (sensitive)!")
    }

    @Test("every Secret made anywhere is known to the shared redactor, the bearer token included")
    func secretsRegisterThemselves() {
        let token = "eyJhbGciOiJIUzI1NiJ9.token-\(UUID().uuidString)"
        _ = Secret(token)
        // (Other tests' secrets may be known too: a header value "Bearer …" makes the word
        // "Bearer" a secret's prefix, so the check looks at the token alone.)
        #expect(SecretRedactor.shared.redact("token: \(token).") == "token: (sensitive).")
        #expect(!Redaction.redact("echo \(Data(token.utf8).base64EncodedString())", secrets: []).contains("token"))
    }

    // MARK: Escaping

    @Test("control, bidirectional and zero-width characters are shown escaped")
    func escaping() {
        #expect(TerminalText.escaped("Acme\u{1B}[8m\nPlan: 0\u{202E}x\u{200B}y\u{7}") == "Acme\\e[8m\\nPlan: 0\\u{202E}x\\u{200B}y\\u{7}")
        #expect(TerminalText.escaped("Grüße, 東京 🚀") == "Grüße, 東京 🚀")
        #expect(
            TerminalText.sanitizedForTerminal("\u{1B}[1mbold\u{1B}[0m\r\u{1B}[K\n\u{1B}]0;title\u{7}\u{2066}")
                == "\u{1B}[1mbold\u{1B}[0m\r\u{1B}[K\n\\e]0;title\\u{7}\\u{2066}")
    }

    static let hostileName = "Evil\u{1B}[2K\u{1B}[1A\r  + local_storage: off\nPlan: 9 to create\u{202E}"

    static var hostilePlan: Plan {
        let resource = Resource.channel(
            ChannelIdentity(
                id: "ev\u{200B}il01CH", clientID: "evCL", phoneNumber: "49151\u{1B}[8m", clientName: hostileName, status: "ready"))
        return Plan(
            partnerID: "demoPA",
            changes: [
                Change(
                    resource: resource, attribute: .channelWebhook, action: .update,
                    before: .webhook(url: "https://old.example.com/\u{1B}[8mhidden", headers: []),
                    after: .webhook(url: "https://new.example.com/a\nb", headers: [])),
                Change(
                    resource: resource, attribute: .channelLocalStorage, action: .delete, before: .region("DE"), after: .none,
                    disruptive: true, disruptionReason: "channel status is ready"),
            ], unknowns: [Unknown(address: "channel.x\u{1B}CH.webhook", resource: resource, reason: "API said \u{1B}[31mno\nforged")])
    }

    @Test("a hostile client name cannot forge or hide plan lines in text or Markdown")
    func renderersEscape() {
        for rendered in [
            TextPlanRenderer(color: false).render(Self.hostilePlan), TextPlanRenderer(color: true).render(Self.hostilePlan),
            MarkdownPlanRenderer().render(Self.hostilePlan),
        ] {
            #expect(!rendered.unicodeScalars.contains { $0 == "\r" || $0 == "\u{202E}" || $0 == "\u{200B}" })
            // The only ESC left are the renderer's own colours.
            let withoutColours = rendered.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression)
            #expect(!withoutColours.contains("\u{1B}"), "\(rendered)")
            #expect(!rendered.split(separator: "\n").contains { $0.hasPrefix("Plan: 9 to create") }, "a forged summary line")
            #expect(!rendered.split(separator: "\n").contains { $0.hasPrefix("  + local_storage") }, "a forged change line")
        }
        let text = TextPlanRenderer(color: false).render(Self.hostilePlan)
        #expect(text.contains("Evil\\e[2K\\e[1A\\r  + local_storage: off\\nPlan: 9 to create\\u{202E}"))
        #expect(text.contains("- local_storage: DE  (disruptive: channel status is ready)"))
    }

    @Test("JSON stays exact: the same characters, in JSON's own escaping")
    func jsonExact() throws {
        let json = JSONPlanRenderer().render(Self.hostilePlan)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let changes = try #require(object["changes"] as? [[String: Any]])
        let names = changes.compactMap { ($0["channel"] as? [String: Any])?["client_name"] as? String }
        #expect(names.count == 2 && names.allSatisfy { $0 == Self.hostileName }, "\(names)")
        #expect(json.contains("ev\u{200B}il01CH"))
        #expect(!json.contains("\u{1B}"), "JSON escapes control characters")
    }

    @Test("the ledger shows API messages escaped and without secrets in text, exact but redacted in JSON")
    func ledger() throws {
        let secret = "ledger-secret-\(UUID().uuidString)"
        _ = Secret(secret)
        let ledger = ApplyLedger(entries: [
            .init(
                address: "channel.a\u{1B}CH.webhook", action: .update, outcome: .failed,
                reason: "400 echo \(secret) \(Data(secret.utf8).base64EncodedString())\n  applied  channel.fake")
        ])
        let text = ledger.renderText()
        #expect(!text.contains(secret.prefix(10)) && !text.contains("\u{1B}"))
        #expect(text.split(separator: "\n").filter { $0.contains("applied  channel.fake") }.allSatisfy { !$0.hasPrefix("  applied") })
        let json = ledger.renderJSON()
        #expect(!json.contains(secret.prefix(10)) && !json.contains(Data(secret.utf8).base64EncodedString().prefix(12)))
    }

    @Test("the client refuses to send what validate refuses: invisible characters, no host, control characters in headers")
    func clientChecksTheSameRules() {
        let operation = "POST webhook of channel a01CH"
        #expect(throws: UnsendableValue.self) {
            try UnsendableValue.check(operation: operation, url: "https://hooks\u{200B}.example.com/x")
        }
        #expect(throws: UnsendableValue.self) { try UnsendableValue.check(operation: operation, url: "https://[]/x") }
        #expect(throws: UnsendableValue.self) {
            try UnsendableValue.check(
                operation: operation, url: "https://h.example.com/x", headers: ["X-A": Secret("a\u{7}unsendable-secret")])
        }
        #expect(throws: UnsendableValue.self) {
            try UnsendableValue.check(operation: operation, url: "https://h.example.com/x", headers: ["X\u{1}": Secret("v")])
        }
        #expect(throws: Never.self) {
            try UnsendableValue.check(operation: operation, url: "https://h.example.com/x", headers: ["X-A": Secret("a\tb")])
        }
        do {
            try UnsendableValue.check(
                operation: operation, url: "https://h.example.com/x", headers: ["X-A": Secret("a\nunsendable-secret")])
        } catch {
            #expect(
                "\(error)"
                    == "POST webhook of channel a01CH not sent: header X-A value contains a line break, which an HTTP header cannot carry")
        }
    }
}
