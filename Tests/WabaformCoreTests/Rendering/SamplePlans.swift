import PartnerAPIRules
import WabaformConfig
@testable import WabaformCore

/// Plans that exercise every action, flag and value kind, for renderer tests.
enum SamplePlans {
    static func channel(_ id: String, client: String = "Acme GmbH", phone: String = "4915110000002", status: String = "ready") -> Resource {
        .channel(ChannelIdentity(id: id, clientID: "acmeCL", phoneNumber: phone, clientName: client, status: status))
    }

    static let secret = "super-secret-header-value-\u{1F511}"

    static let everything = Plan(
        partnerID: "demoPA",
        changes: [
            Change(
                resource: .partner(id: "demoPA"), attribute: .partnerWebhookURL, action: .update,
                before: .text("https://old-hooks.example.com/360/partner"), after: .text("https://hooks.example.com/360/partner")),
            Change(
                resource: .partner(id: "demoPA"), attribute: .partnerDefaultLocalStorage, action: .create,
                before: .none, after: .region("DE")),
            Change(
                resource: channel("acme02CH"), attribute: .channelWebhook, action: .update,
                before: .webhook(url: "https://legacy.example.com/acme-sales", headers: []),
                after: .webhook(
                    url: "https://hooks.example.com/wa/acme02CH", headers: [WebhookHeader(name: "X-Hook-Secret", value: Secret(secret))])),
            Change(
                resource: channel("acme02CH"), attribute: .channelLocalStorage, action: .create, before: .none, after: .region("DE"),
                disruptive: true, disruptionReason: "channel status is ready"),
            Change(
                resource: channel("acme03CH", phone: "4915110000003", status: "pending"), attribute: .channelWebhook, action: .create,
                before: .none, after: .webhook(url: "https://hooks.example.com/wa/acme03CH", headers: [])),
            Change(
                resource: channel("globex02CH", client: "Globex Ltd", phone: "447700900002", status: "pending"),
                attribute: .channelLocalStorage, action: .replace, before: .region("DE"), after: .region("GB")),
            Change(
                resource: channel("globex03CH", client: "Globex Ltd", phone: "447700900003"), attribute: .channelLocalStorage,
                action: .delete, before: .region("DE"), after: .none, disruptive: true, disruptionReason: "channel status is ready"),
            Change(
                resource: channel("initech01CH", client: "Initech Inc", phone: "15550100001"), attribute: .channelWebhook,
                action: .update,
                before: .webhook(
                    url: "https://hooks.example.com/wa/initech01CH",
                    headers: [WebhookHeader(name: "X-Hook-Secret", value: Secret("old-\(secret)"))]),
                after: .webhook(
                    url: "https://hooks.example.com/wa/initech01CH", headers: [WebhookHeader(name: "X-Hook-Secret", value: Secret(secret))])
            ),
        ],
        unknowns: [
            Unknown(
                address: "channel.acme04CH.webhook", resource: channel("acme04CH", phone: "4915110000004"),
                reason: "no channel key: set WABAFORM_CHANNEL_KEY_acme04CH or add it to the keys file")
        ],
        unchangedCount: 9,
        warnings: ["select at wabaform.yaml:12 matched no channel"]
    )

    static let empty = Plan(partnerID: "demoPA", changes: [], unchangedCount: 14)
}
