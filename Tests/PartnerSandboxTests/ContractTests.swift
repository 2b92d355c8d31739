import Foundation
import Testing
import Yams
@testable import PartnerSandbox

/// The sandbox's route table names the same paths as the contract.
@Suite struct ContractTests {
    @Test func routeTableMatchesTheOpenAPIDocument() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("schemas/partner-api.openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var expected: [String] = []
        for (path, item) in paths {
            let tags = item.values.compactMap { ($0 as? [String: Any])?["tags"] as? [String] }.flatMap { $0 }
            expected.append(tags.contains("partner") ? "/api/v2" + path : path)
        }
        #expect(RouteTable.templates.sorted() == expected.sorted())
    }

    @Test(arguments: [
        ("/api/v2/partners/demoPA/channels", "/api/v2/partners/{partner_id}/channels"),
        (
            "/api/v2/partners/demoPA/clients/c/channels/x/control/enable_local_storage",
            "/api/v2/partners/{partner_id}/clients/{client_id}/channels/{channel_id}/control/enable_local_storage"
        ),
        ("/v1/configs/webhook", "/v1/configs/webhook"),
        ("/api/v2/partners/demoPA/nope", nil),
    ])
    func templates(path: String, template: String?) {
        #expect(RouteTable.template(for: path) == template)
    }
}
