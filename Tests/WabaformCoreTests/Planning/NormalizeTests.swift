import Foundation
import PartnerAPIRules
import Testing

/// The string normaliser agrees with URLComponents, which it replaced for speed.
@Suite struct NormalizeTests {
    static func reference(_ string: String) -> String {
        guard var components = URLComponents(string: string) else { return string }
        components.scheme = components.scheme?.lowercased()
        if let host = components.percentEncodedHost { components.percentEncodedHost = host.lowercased() }
        return components.string ?? string
    }

    @Test(arguments: [
        "https://hooks.example.com/wa/abcCH", "HTTPS://Hooks.Example.COM/WA/abcCH", "https://Hooks.example.com",
        "https://HOOKS.example.com?X=Y", "https://HOOKS.example.com#Frag", "https://User:Pass@HOST.example.com/P",
        "https://hooks.example.com:8443/Path", "HTTP://127.0.0.1:8360/api/v2", "https://xn--BCHER-kva.example/x",
    ])
    func agreesWithURLComponents(url: String) {
        #expect(WebhookURLRule.normalized(url) == Self.reference(url))
    }

    /// Unlike URLComponents, the path and query are never re-encoded: only case changes.
    @Test func pathAndQueryAreKeptAsWritten() {
        #expect(WebhookURLRule.normalized("HTTPS://H.example.com/wa/{x}?n={y}&a=%7B") == "https://h.example.com/wa/{x}?n={y}&a=%7B")
    }

    @Test(arguments: ["not a url", "", "mailto:Someone@Example.com", "https:/one-slash.example.com"])
    func leavesNonURLsAlone(text: String) {
        #expect(WebhookURLRule.normalized(text) == text)
    }
}
