extension PartnerAPIClient {
    /// The partner's settings (`GET /partners/{partner_id}`).
    public func partner() async throws -> LivePartner {
        try await perform("GET partner \(partnerID)", host: endpoints.apiURL) {
            try await hub.partner(id: partnerID)
        }
    }

    /// Changes only the given fields (`PATCH /partners/{partner_id}` with a partial body
    /// [open]); nil leaves a field alone. Returns the partner as the API answers.
    public func updatePartner(
        webhookURL: String? = nil, redirectURL: String? = nil, defaultLocalStorage: StorageChoice? = nil
    ) async throws -> LivePartner {
        var changed: [String] = []
        if webhookURL != nil { changed.append("webhook_url") }
        if redirectURL != nil { changed.append("partner_redirect_url") }
        if defaultLocalStorage != nil { changed.append("default_data_localization_region") }
        return try await perform("PATCH partner \(partnerID) (\(changed.joined(separator: ", ")))", host: endpoints.apiURL) {
            try await hub.updatePartner(
                id: partnerID, webhookURL: webhookURL, redirectURL: redirectURL, defaultLocalStorage: defaultLocalStorage)
        }
    }

    /// The partner's own webhook (`GET /partners/{partner_id}/webhook_url`); nil when unset.
    public func partnerWebhookURL() async throws -> String? {
        try await perform("GET webhook_url of partner \(partnerID)", host: endpoints.apiURL) {
            try await hub.partnerWebhookURL(id: partnerID)
        }
    }

    /// Sets the partner's own webhook (`POST /partners/{partner_id}/webhook_url`); returns the
    /// URL as the API echoes it. Never a channel's webhook.
    @discardableResult
    public func setPartnerWebhookURL(_ url: String) async throws -> String {
        try UnsendableValue.check(operation: "POST webhook_url of partner \(partnerID)", url: url)
        return try await perform("POST webhook_url of partner \(partnerID)", host: endpoints.apiURL) {
            try await hub.setPartnerWebhookURL(id: partnerID, url: url)
        }
    }
}
