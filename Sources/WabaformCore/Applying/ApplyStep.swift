import PartnerAPIRules

/// One write and the plan changes it carries out. The partner's changes share one PATCH
/// carrying only the managed fields; every channel attribute is its own write.
public struct ApplyStep: Sendable {
    public enum Write: Sendable {
        case updatePartner(webhookURL: String?, redirectURL: String?, defaultLocalStorage: StorageChoice?)
        case setChannelWebhook(channelID: String, url: String, headers: [String: Secret])
        case enableLocalStorage(clientID: String, channelID: String, region: String)
        case disableLocalStorage(clientID: String, channelID: String)
        /// Region to another region: disable, then enable [open].
        case replaceLocalStorage(clientID: String, channelID: String, region: String)
    }

    public var write: Write
    public var changes: [Change]

    /// The steps that carry out a plan, partner first, then channels in plan order.
    public static func steps(for plan: Plan) -> [ApplyStep] {
        var steps: [ApplyStep] = []
        let partnerChanges = plan.changes.filter { if case .partner = $0.resource { true } else { false } }
        if !partnerChanges.isEmpty {
            var webhookURL: String?, redirectURL: String?, storage: StorageChoice?
            for change in partnerChanges {
                switch (change.attribute, change.after) {
                case (.partnerWebhookURL, .text(let url)): webhookURL = url
                case (.partnerRedirectURL, .text(let url)): redirectURL = url
                case (.partnerDefaultLocalStorage, .region(let code)): storage = .region(code)
                case (.partnerDefaultLocalStorage, .none): storage = .defaultStorage
                default: break
                }
            }
            steps.append(
                ApplyStep(
                    write: .updatePartner(webhookURL: webhookURL, redirectURL: redirectURL, defaultLocalStorage: storage),
                    changes: partnerChanges))
        }
        for change in plan.changes {
            guard case .channel(let channel) = change.resource else { continue }
            switch (change.attribute, change.action, change.after) {
            case (.channelWebhook, _, .webhook(let url, let headers)):
                steps.append(
                    ApplyStep(
                        write: .setChannelWebhook(
                            channelID: channel.id, url: url,
                            headers: Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })),
                        changes: [change]))
            case (.channelLocalStorage, .replace, .region(let code)):
                steps.append(
                    ApplyStep(
                        write: .replaceLocalStorage(clientID: channel.clientID, channelID: channel.id, region: code), changes: [change]))
            case (.channelLocalStorage, _, .region(let code)):
                steps.append(
                    ApplyStep(
                        write: .enableLocalStorage(clientID: channel.clientID, channelID: channel.id, region: code), changes: [change]))
            case (.channelLocalStorage, _, .none):
                steps.append(ApplyStep(write: .disableLocalStorage(clientID: channel.clientID, channelID: channel.id), changes: [change]))
            default:
                continue
            }
        }
        return steps
    }

    /// The requests this step sends, for `--dry-run`: method, URL, body with secrets masked.
    public func requests(endpoints: Endpoints, partnerID: String) -> [DescribedRequest] {
        let api = endpoints.apiURL.absoluteString.trimmingSuffix("/")
        let messaging = endpoints.messagingURL.absoluteString.trimmingSuffix("/")
        func storage(_ client: String, _ channel: String, _ verb: String) -> String {
            "\(api)/partners/\(partnerID)/clients/\(client)/channels/\(channel)/control/\(verb)_local_storage"
        }
        switch write {
        case .updatePartner(let webhookURL, let redirectURL, let region):
            var body: [String: JSONValue] = [:]
            if let webhookURL { body["webhook_url"] = .string(webhookURL) }
            if let redirectURL { body["partner_redirect_url"] = .string(redirectURL) }
            switch region {
            case .region(let code)?: body["settings"] = .object(["default_data_localization_region": .string(code)])
            case .defaultStorage?: body["settings"] = .object(["default_data_localization_region": .null])
            case nil: break
            }
            return [DescribedRequest(method: "PATCH", url: "\(api)/partners/\(partnerID)", credential: "X-API-Key", body: .object(body))]
        case .setChannelWebhook(let channelID, let url, let headers):
            var body: [String: JSONValue] = ["url": .string(url)]
            if !headers.isEmpty { body["headers"] = .object(headers.mapValues { _ in .string("(sensitive)") }) }
            return [
                DescribedRequest(
                    method: "POST", url: "\(messaging)/v1/configs/webhook", credential: "D360-API-KEY of channel \(channelID)",
                    body: .object(body))
            ]
        case .enableLocalStorage(let client, let channel, let region):
            return [
                DescribedRequest(
                    method: "POST", url: storage(client, channel, "enable"), credential: "X-API-Key",
                    body: .object(["data_localization_region": .string(region)]))
            ]
        case .disableLocalStorage(let client, let channel):
            return [DescribedRequest(method: "POST", url: storage(client, channel, "disable"), credential: "X-API-Key", body: .object([:]))]
        case .replaceLocalStorage(let client, let channel, let region):
            return [
                DescribedRequest(method: "POST", url: storage(client, channel, "disable"), credential: "X-API-Key", body: .object([:])),
                DescribedRequest(
                    method: "POST", url: storage(client, channel, "enable"), credential: "X-API-Key",
                    body: .object(["data_localization_region": .string(region)])),
            ]
        }
    }
}

/// A request as `--dry-run` prints it. The body never holds a secret.
public struct DescribedRequest: Sendable, CustomStringConvertible {
    public var method: String
    public var url: String
    /// Which credential it would carry (never the value).
    public var credential: String
    public var bodyJSON: String

    init(method: String, url: String, credential: String, body: JSONValue) {
        self.method = method
        self.url = url
        self.credential = credential
        self.bodyJSON = body.compact()
    }

    public var description: String { "\(method) \(url)  [\(credential)]\n  \(bodyJSON)" }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
