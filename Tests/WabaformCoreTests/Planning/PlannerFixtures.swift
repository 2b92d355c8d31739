import PartnerAPIRules
import Testing
import WabaformConfig
@testable import WabaformCore

/// Builders for planner tests: configs from YAML text, live state from short descriptions.
enum PlannerFixtures {
    static func config(_ yaml: String, environment: [String: String] = [:]) throws -> DesiredConfig {
        let result = ConfigLoader.load(sources: [(path: "wabaform.yaml", text: yaml)], environment: environment)
        guard let config = result.config else {
            throw Failure(description: Diagnostic.renderText(result.diagnostics))
        }
        return config
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A live channel and, if its webhook was read, the webhook.
    struct TestChannel: Sendable {
        var channel: LiveChannel
        var webhook: LiveValue<LiveWebhook?>
    }

    static func channel(
        _ id: String, client: String = "acmeCL", clientName: String = "Acme GmbH", phone: String = "4915110000001",
        status: String = "ready", waba: String = "acmeWA", storage: LiveValue<String?> = .known(nil),
        webhook: LiveValue<LiveWebhook?> = .known(nil)
    ) -> TestChannel {
        TestChannel(
            channel: LiveChannel(
                id: id, clientID: client, status: status, phoneNumber: phone, clientName: clientName, wabaID: waba,
                localStorage: storage),
            webhook: webhook)
    }

    static func hook(_ url: String, _ headers: [String: String] = [:]) -> LiveValue<LiveWebhook?> {
        .known(LiveWebhook(url: url, headers: headers.mapValues { Secret($0) }))
    }

    static func live(_ channels: [TestChannel], partner: LivePartner = LivePartner(id: "demoPA")) -> LiveSnapshot {
        LiveSnapshot(
            partner: partner, channels: channels.map(\.channel),
            webhooks: Dictionary(channels.map { ($0.channel.id, $0.webhook) }, uniquingKeysWith: { first, _ in first }))
    }

    static func plan(_ yaml: String, _ live: LiveSnapshot, environment: [String: String] = [:]) throws -> Planner.Outcome {
        Planner.plan(config: try config(yaml, environment: environment), partnerID: "demoPA", live: live)
    }

    /// `address action before -> after` lines, for compact expectations.
    static func summary(_ plan: Plan?) -> [String] {
        (plan?.changes ?? []).map { "\($0.address) \($0.action.rawValue) \(describe($0.before)) -> \(describe($0.after))" }
    }

    static func describe(_ value: PlanValue) -> String {
        switch value {
        case .none: "none"
        case .text(let text): text
        case .region(let code): code
        case .webhook(let url, let headers): headers.isEmpty ? url : url + " [" + headers.map(\.name).joined(separator: ",") + "]"
        }
    }

    static let header = "version: 1\npartner: { id: demoPA }\nchannels:\n"
}
