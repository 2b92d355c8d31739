import PartnerAPIRules

/// Payload checks the sandbox answers with 400, as the real API does for bad values.
enum Validation {
    static func webhookURL(_ url: String, field: String) throws(SandboxError) {
        if let violation = WebhookURLRule.violations(of: url).first {
            throw .badRequest("Invalid \(field): URL \(violation)")
        }
    }

    static func httpsURL(_ url: String, field: String) throws(SandboxError) {
        if let violation = WebhookURLRule.violations(of: url, as: .https).first { throw .badRequest("Invalid \(field): URL \(violation)") }
    }

    /// The region code in canonical form.
    static func region(_ code: String) throws(SandboxError) -> String {
        guard let region = Region(code: code), region.code == code else {
            throw .badRequest(
                "Invalid data_localization_region \(code); expected one of \(Region.codes.joined(separator: ", "))")
        }
        return region.code
    }

    static func headers(_ headers: [String: String]?) throws(SandboxError) {
        for name in (headers ?? [:]).keys.sorted() where name.isEmpty || name.contains(where: { $0 == ":" || $0 == " " || $0 == "\n" }) {
            throw .badRequest("Invalid header name \(name)")
        }
    }
}
