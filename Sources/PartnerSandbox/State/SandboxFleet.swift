import Foundation
import PartnerAPIRules

/// A deterministic synthetic fleet (`--channels N`): the same N always gives the same
/// channels, keys, webhooks and regions, with a realistic mix for plans and exports.
enum SandboxFleet {
    static let channelsPerClient = 25

    static func channels(count: Int) -> [ChannelRecord] {
        guard count > 0 else { return [] }
        return (1...count).map(channel(index:))
    }

    static func channel(index i: Int) -> ChannelRecord {
        let id = "fleet" + pad(i, 6) + "CH"
        let clientNumber = (i - 1) / channelsPerClient + 1
        let clientID = "fleet" + pad(clientNumber, 4) + "CL"
        let clientName = "Fleet Client " + pad(clientNumber, 4)
        let wabaID = "fleet" + pad(clientNumber, 4) + "WA"
        let phone = "4930" + pad(i, 9)
        let webhook: WebhookRecord?
        switch i % 10 {
        case 0...6: webhook = WebhookRecord(url: "https://hooks.example.com/wa/\(id)")
        case 7: webhook = WebhookRecord(url: "https://hooks.example.com/clients/\(clientID)/wa")
        case 8: webhook = WebhookRecord(url: "https://custom\(i).example.com/hook", headers: ["X-Hook-Secret": "fleet-secret-\(i % 3)"])
        default: webhook = nil
        }
        let region: String? = i % 3 == 0 ? "DE" : (i % 7 == 0 ? "GB" : nil)
        let created = timestamp(minutes: 1_000 + i)
        return ChannelRecord(
            id: id, clientID: clientID, clientName: clientName,
            status: i % 10 == 5 ? "pending" : "ready", accountMode: i % 10 == 5 ? "sandbox" : "live",
            availabilityStatus: i % 10 == 5 ? "setting_up" : "ready",
            createdAt: created, modifiedAt: created, phoneNumber: phone, phoneName: "Fleet Line \(i)",
            wabaID: wabaID, wabaExternalID: externalID(wabaID), wabaName: clientName,
            projectID: "fleet" + pad(clientNumber, 4) + "PR", projectName: clientName,
            localStorage: region, webhook: webhook, apiKey: SandboxKeys.channelKey(channelID: id)
        )
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// An ISO 8601 time `minutes` after 2025-01-01T00:00:00Z.
    static func timestamp(minutes: Int) -> String {
        Timestamp.string(Date(timeIntervalSince1970: 1_735_689_600 + Double(minutes) * 60))
    }

    static func externalID(_ wabaID: String) -> String {
        let digits = SandboxKeys.derived("waba:\(wabaID)").unicodeScalars.map { String($0.value % 10) }.joined()
        return "10" + String(digits.prefix(14))
    }
}
