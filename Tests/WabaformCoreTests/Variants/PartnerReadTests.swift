import Foundation
import OpenAPIRuntime
import PartnerAPIRules
import PartnerSandbox
import Testing

@testable import WabaformCore

/// The partner object is read like a channel: only what wabaform manages must have its type;
/// any other field may be anything (issue 13's gap: a mistyped unused field failed the run).
@Suite struct PartnerReadTests {
    static func partner(_ json: String) throws -> LivePartner {
        let fields = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(json.utf8)).value
        return try LivePartner(id: "acmePA", fields: fields)
    }

    @Test("fields wabaform does not use may have any type, or be missing")
    func unusedFieldsAnyType() throws {
        let read = try Self.partner(
            #"""
            {"payment_required": "no", "billing_system": 5, "logo_url": {"small": "x"}, "blocked_new_submission": [1],
             "brand_name": 7, "webhook_url": "https://hooks.example.com/p", "partner_redirect_url": null,
             "settings": {"default_data_localization_region": "de", "standard_tiered_pricing_enabled": "yes",
                          "partner_change_request": null}}
            """#)
        #expect(
            read
                == LivePartner(
                    id: "acmePA", webhookURL: "https://hooks.example.com/p", redirectURL: nil, defaultLocalStorage: "DE",
                    brandName: "7"))
        #expect(try Self.partner("{}") == LivePartner(id: "acmePA"))
        #expect(try Self.partner(#"{"settings": null, "webhook_url": ""}"#) == LivePartner(id: "acmePA"))
    }

    @Test(
        "a managed field of another type is an unusable answer naming the field, never a guess",
        arguments: [
            (#"{"webhook_url": 7}"#, "webhook_url"),
            (#"{"partner_redirect_url": {"url": "https://x.example.com"}}"#, "partner_redirect_url"),
            (#"{"settings": {"default_data_localization_region": ["DE"]}}"#, "settings.default_data_localization_region"),
            (#"{"settings": "none"}"#, "settings"),
        ] as [(String, String)])
    func managedFieldMistyped(json: String, field: String) throws {
        do {
            _ = try Self.partner(json)
            Issue.record("read \(json)")
        } catch let error as DecodingError {
            #expect(PartnerAPIClient.summary(of: error) == "unexpected value at \(field)")
        }
    }

    @Test("over HTTP, a rich partner object reads, and so does the partner a PATCH answers")
    func richPartnerOverHTTP() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(variants: [.richPartner])) { sandbox in
            let stored = await sandbox.store.state.partner
            try await PartnerAPIClient.withClient(try Harness.configuration(sandbox)) { client in
                let read = try await client.partner()
                #expect(read.id == stored.id)
                #expect(read.webhookURL == stored.webhookURL)
                #expect(read.redirectURL == stored.redirectURL)
                #expect(read.defaultLocalStorage == stored.defaultLocalStorage?.uppercased())
                let updated = try await client.updatePartner(redirectURL: "https://example.com/after-signup")
                #expect(updated.redirectURL == "https://example.com/after-signup")
            }
        }
    }
}
