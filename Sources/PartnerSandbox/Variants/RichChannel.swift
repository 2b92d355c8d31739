import Foundation

/// `SandboxVariant.richChannels`: a channel object as real accounts send it, with the many
/// fields integrations see and the real range of `status` values. Deterministic per channel id.
enum RichChannel {
    /// Statuses a live number is seen under [code]; "" = the field is left out.
    static let liveStatuses = ["ready", "imported", "modified", "new_name_requested", "certificate_declined", "porting_ready", ""]
    /// Statuses before a number goes live.
    static let preLiveStatuses = ["created", "unverified", "verified", "consents_signed", "pending"]

    /// A stable pick for `id` (FNV-1a; Swift's hashValue changes per process).
    static func pick(_ choices: [String], for id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return choices[Int(hash % UInt64(choices.count))]
    }

    /// The status a channel of the sandbox's model shows under this variant.
    static func status(_ status: String, id: String) -> String {
        switch status {
        case "ready": pick(liveStatuses, for: id)
        case "pending": pick(preLiveStatuses, for: id)
        default: status
        }
    }

    static func shape(_ channel: [String: Any]) -> [String: Any] {
        var channel = channel
        let id = channel["id"] as? String ?? ""
        if let status = channel["status"] as? String {
            let shown = self.status(status, id: id)
            channel["status"] = shown.isEmpty ? nil : shown
        }
        channel["billing_started_at"] = channel["created_at"] ?? NSNull()
        channel["terminated_at"] = NSNull()
        channel["cancelled_at"] = NSNull()
        channel["hub_status"] = "active"
        channel["is_on_biz_app"] = false
        channel["is_oba"] = false
        channel["current_quality_rating"] = "GREEN"
        channel["current_limit"] = "TIER_1K"
        channel["version"] = 3
        channel["integration"] =
            [
                "app_id": id + "-app", "state": "running", "enabled": true, "hosting_platform_type": "CLOUD_API",
                "partner_payload": NSNull(),
            ] as [String: Any]
        if var setup = channel["setup_info"] as? [String: Any] {
            setup["phone_type"] = "mobile"
            setup["country_code"] = "49"
            setup["certificate"] = NSNull()
            setup["verification_method"] = "sms"
            setup["vname_certificate_status"] = "approved"
            setup["marketing_messages_onboarding_status"] = NSNull()
            setup["code_verification_status"] = "VERIFIED"
            setup["name_status"] = "APPROVED"
            setup["consents_accepted_at"] = channel["created_at"] ?? NSNull()
            setup["extra_flags"] = [] as [Any]
            channel["setup_info"] = setup
        }
        if var waba = channel["waba_account"] as? [String: Any] {
            waba["namespace"] = "ns_" + id.lowercased()
            waba["consents"] = ["marketing": true, "data_sharing": NSNull()] as [String: Any]
            waba["created_by"] = ["user_id": "u-1", "user_name": "Partner Admin"]
            waba["timezone_id"] = 1
            waba["on_behalf_of_business_info"] = ["id": "obo-" + id, "status": "APPROVED"]
            channel["waba_account"] = waba
        }
        channel["client"] =
            (channel["client"] as? [String: Any]).map { client in
                var client = client
                client["contact_info"] = ["email": "ops@example.com", "phone": NSNull()] as [String: Any]
                client["organisation"] = NSNull()
                return client
            } ?? NSNull()
        return channel
    }
}
