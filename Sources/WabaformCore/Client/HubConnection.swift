import Foundation
import HTTPTypes
import HubAPI
// `UniversalClient` and `Converter`, the runtime the generated client itself calls: the one
// operation read without the generated decoder (`channelPage`) goes through them unchanged.
@_spi(Generated) import OpenAPIRuntime
import PartnerAPIRules

/// The generated Partner API client (`HubAPI`) behind `PartnerAPIClient`: calls one
/// operation, turns the wire types into wabaform's. Errors (already `APIError` or
/// `APIConnectionError` from the middlewares) are named by the caller.
struct HubConnection: Sendable {
    let client: Client
    /// What the generated `Client` wraps (the same server, transport and middlewares), for
    /// `channelPage`.
    let universal: UniversalClient

    init(serverURL: URL, transport: any ClientTransport, middlewares: [any ClientMiddleware]) {
        client = Client(serverURL: serverURL, transport: transport, middlewares: middlewares)
        universal = UniversalClient(serverURL: serverURL, transport: transport, middlewares: middlewares)
    }

    /// One page of channels.
    struct ChannelPage: Sendable {
        var channels: [LiveChannel]
        var count: Int
        var total: Int
        var offset: Int
        var limit: Int
    }

    /// A bearer token and how long it lives; nil when the answer does not say (the lean
    /// `{"token_type": "bearer", "access_token"}` [code]): used until the API refuses it.
    func token(username: String, password: Secret) async throws -> (token: Secret, expiresIn: Duration?) {
        let output = try await client.createToken(body: .json(.init(username: username, password: password.revealed)))
        guard case .ok(let ok) = output, case .json(let body) = ok.body else { throw Self.unexpected(output) }
        return (Secret(body.access_token), body.expires_in.map { .seconds(max(0, $0)) })
    }

    func partner(id: String) async throws -> LivePartner {
        let output = try await client.getPartner(path: .init(partner_id: id))
        guard case .ok(let ok) = output, case .json(let body) = ok.body else { throw Self.unexpected(output) }
        return try LivePartner(wire: body)
    }

    func updatePartner(
        id: String, webhookURL: String?, redirectURL: String?, defaultLocalStorage: StorageChoice?
    ) async throws -> LivePartner {
        var patch = Components.Schemas.PartnerPatch(webhook_url: webhookURL, partner_redirect_url: redirectURL)
        if let defaultLocalStorage {
            patch.settings = .init(additionalProperties: try APIAssumptions.partnerDefaultRegionPatch(defaultLocalStorage))
        }
        let output = try await client.updatePartner(path: .init(partner_id: id), body: .json(patch))
        guard case .ok(let ok) = output, case .json(let body) = ok.body else { throw Self.unexpected(output) }
        return try LivePartner(wire: body)
    }

    func partnerWebhookURL(id: String) async throws -> String? {
        let output = try await client.getPartnerWebhookURL(path: .init(partner_id: id))
        guard case .ok(let ok) = output, case .json(let body) = ok.body else { throw Self.unexpected(output) }
        return body.webhook_url.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URL as the answer echoes it: `{"webhook_url"}` or the whole partner object, whose
    /// `webhook_url` is the same field. An answer without it acknowledges `url`.
    func setPartnerWebhookURL(id: String, url: String) async throws -> String {
        let output = try await client.setPartnerWebhookURL(path: .init(partner_id: id), body: .json(.init(webhook_url: url)))
        guard case .ok(let ok) = output else { throw Self.unexpected(output) }
        if case .json(let body) = ok.body, let echoed = body.webhook_url, !echoed.isEmpty { return echoed }
        return url
    }

    /// One page of channels: `listChannels` as the generated client sends it (the same request,
    /// middlewares, transport and error wrapping: `UniversalClient.send` with the generated
    /// serializer's steps), but a 200 answer is read by `ChannelPageReader` straight from its
    /// bytes. An answer that reader does not cover exactly is decoded the generated way, so
    /// its channels, or the error it throws, are what they always were.
    func channelPage(partnerID: String, offset: Int, limit: Int, filters: String?, sort: String?) async throws -> ChannelPage {
        let input = Operations.listChannels.Input(
            path: .init(partner_id: partnerID), query: .init(filters: filters, sort: sort, limit: limit, offset: offset))
        let converter = universal.converter
        let page = try await universal.send(
            input: input, forOperation: Operations.listChannels.id,
            serializer: { input in
                // The generated `Client.listChannels` serializer, step by step.
                let path = try converter.renderedPath(template: "/partners/{}/channels", parameters: [input.path.partner_id])
                var request = HTTPRequest(soar_path: path, method: .get)
                try converter.setQueryItemAsURI(in: &request, style: .form, explode: true, name: "filters", value: input.query.filters)
                try converter.setQueryItemAsURI(in: &request, style: .form, explode: true, name: "sort", value: input.query.sort)
                try converter.setQueryItemAsURI(in: &request, style: .form, explode: true, name: "limit", value: input.query.limit)
                try converter.setQueryItemAsURI(in: &request, style: .form, explode: true, name: "offset", value: input.query.offset)
                converter.setAcceptHeader(in: &request.headerFields, contentTypes: input.headers.accept)
                return (request, nil)
            },
            deserializer: { response, body in try await Self.pageAnswer.read(response, body, converter: converter) })
        return ChannelPage(
            channels: page.channels, count: page.count ?? page.channels.count, total: page.total, offset: page.offset ?? offset,
            limit: page.limit ?? limit)
    }

    /// A `listChannels` answer: `ChannelPageReader` first for a 200 JSON answer, otherwise the
    /// generated deserializer's steps (`GeneratedAnswer`), for the same errors.
    static let pageAnswer = GeneratedAnswer<ChannelPageReader.Page, Components.Schemas.ErrorEnvelope>(
        bytes: ChannelPageReader.read, generated: { try await generatedChannelPage($0, converter: $1) })

    /// A 200 answer's body decoded as the generated client decodes it (`ChannelList`, then
    /// `LiveChannel(wire:)`): what `ChannelPageReader` does not cover, and its reference.
    static func generatedChannelPage(_ data: Data?, converter: Converter) async throws -> ChannelPageReader.Page {
        let list = try await converter.getResponseBodyAsJSON(
            Components.Schemas.ChannelList.self, from: data.map { HTTPBody($0) }, transforming: { $0 })
        return ChannelPageReader.Page(
            channels: list.partner_channels.map(LiveChannel.init(wire:)), count: list.count, total: list.total,
            offset: list.offset, limit: list.limit)
    }

    func enableLocalStorage(partnerID: String, clientID: String, channelID: String, region: String) async throws {
        let output = try await client.enableLocalStorage(
            path: .init(partner_id: partnerID, client_id: clientID, channel_id: channelID),
            body: .json(.init(data_localization_region: region)))
        guard case .ok = output else { throw Self.unexpected(output) }
    }

    func disableLocalStorage(partnerID: String, clientID: String, channelID: String) async throws {
        let output = try await client.disableLocalStorage(
            path: .init(partner_id: partnerID, client_id: clientID, channel_id: channelID), body: .json(.init()))
        guard case .ok = output else { throw Self.unexpected(output) }
    }

    static func unexpected(_ output: some Sendable) -> UnexpectedAnswer { UnexpectedAnswer() }
}

extension LivePartner {
    /// Read tolerantly: only the fields wabaform manages must have their type (a string or
    /// null; another type throws a `DecodingError` naming the field, as a generated decoder
    /// would, because a value it cannot read must never be planned over). Every other field
    /// may be anything.
    init(wire partner: Components.Schemas.Partner) throws {
        try self.init(id: partner.id, fields: partner.additionalProperties.value)
    }

    /// The partner from its undeclared fields, as the generated client decodes them.
    init(id: String, fields: [String: (any Sendable)?]) throws {
        func text(_ path: String...) throws -> String? {
            var value: (any Sendable)? = fields
            for (depth, key) in path.enumerated() {
                guard let object = value as? [String: (any Sendable)?] else {
                    // A parent that is absent or null holds nothing; any other parent is mistyped.
                    if value == nil || depth == 0 { return nil }
                    throw Self.mistyped(path.prefix(depth))
                }
                guard let entry = object[key], let present = entry else { return nil }
                value = present
            }
            guard let string = value as? String else { throw Self.mistyped(path[...]) }
            return string.isEmpty ? nil : string
        }
        self.init(
            id: id, webhookURL: try text("webhook_url"), redirectURL: try text("partner_redirect_url"),
            defaultLocalStorage: try text("settings", "default_data_localization_region")?.uppercased(),
            brandName: ChannelFields.flatten(fields)["brand_name"])
    }

    private struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static func mistyped(_ path: ArraySlice<String>) -> DecodingError {
        .typeMismatch(
            String.self,
            .init(codingPath: path.map(FieldKey.init(stringValue:)), debugDescription: "expected a string or null"))
    }
}

extension LiveChannel {
    /// Read tolerantly: every field but `id` comes from the object's undeclared fields
    /// (`ChannelFields`), so an extra field or one of an unexpected type never fails the list.
    init(wire channel: Components.Schemas.Channel) {
        let extra = channel.additionalProperties.value
        var fields = ChannelFields.flatten(extra)
        fields["id"] = channel.id
        self.init(id: channel.id, localStorage: APIAssumptions.channelLocalStorage(in: extra), fields: LiveFields(fields))
    }
}
