/// The contract's path templates, to name the route of a request in stats and faults.
/// Kept in step with schemas/partner-api.openapi.yaml by a test.
enum RouteTable {
    static let partnerPrefix = "/api/v2"

    static let templates: [String] = [
        "/api/v2/token",
        "/api/v2/partners/{partner_id}",
        "/api/v2/partners/{partner_id}/webhook_url",
        "/api/v2/partners/{partner_id}/channels",
        "/api/v2/partners/{partner_id}/channels/{channel_id}/api_keys",
        "/api/v2/partners/{partner_id}/clients/{client_id}/channels/{channel_id}/control/enable_local_storage",
        "/api/v2/partners/{partner_id}/clients/{client_id}/channels/{channel_id}/control/disable_local_storage",
        "/v1/configs/webhook",
        "/waba_webhook",
    ]

    private static let split: [[Substring]] = templates.map { $0.split(separator: "/") }

    /// The template a path matches, or nil.
    static func template(for path: String) -> String? {
        let segments = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/")
        for (index, template) in split.enumerated() where template.count == segments.count {
            let matched = zip(template, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") || pattern == segment
            }
            if matched { return templates[index] }
        }
        return nil
    }
}
