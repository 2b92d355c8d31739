import Foundation
import OpenAPIRuntime
import PartnerAPIRules
/// Every guess the client makes about the real 360dialog APIs, in one place.
///
/// `docs/api.md` marks facts that no source confirms as *assumed* ([open]); the sandbox
/// models them as written there. Each [open] fact the client depends on is a
/// constant or a function here, so correcting one, once the real behaviour is known, is a
/// change to this file alone. `docs/api-assumptions.md` lists the same entries.
public enum APIAssumptions {
    // MARK: Paging [open]

    /// Page size the client asks for when listing channels. The real default and maximum are
    /// [open]; the sandbox defaults to 20 and caps at 1000. A server that caps lower is
    /// handled: later offsets step by the `limit` the first page echoes.
    public static let channelPageSize = 1_000

    /// Sort order requested while paging, so pages do not overlap or skip when the default
    /// order of the real API is unstable. `sort` is [doc]; `id` being sortable is [open].
    public static let channelPageSort = "id"

    // MARK: Channel local storage [open]

    /// The channel object's field that carries its local storage region. Not a declared
    /// property of the contract: it travels in `additionalProperties`, so "absent" (unknown)
    /// differs from `null` (default storage in the US).
    public static let channelRegionField = "data_localization_region"

    /// A channel's local storage as read from the live object's extra fields:
    /// field absent → `.unknown`; `null` → `.known(nil)` (default storage);
    /// a string → `.known(code)`, upper-cased. Any other JSON type → `.unknown`.
    public static func channelLocalStorage(in extraFields: [String: (any Sendable)?]) -> LiveValue<String?> {
        guard let entry = extraFields[channelRegionField] else {
            return .unknown(
                reason: "the channel object has no \(channelRegionField) field (an [open] assumption; see docs/api-assumptions.md)")
        }
        guard let value = entry else { return .known(nil) }
        guard let code = value as? String else { return .unknown(reason: "\(channelRegionField) is not text: \(value)") }
        return .known(code.isEmpty ? nil : code.uppercased())
    }

    /// Disabling local storage is `POST .../control/disable_local_storage` with `{}` [open];
    /// the contract's `disableLocalStorage` operation. Noted here; the call is generated.
    public static let disableLocalStorageEndpoint =
        "POST /partners/{partner_id}/clients/{client_id}/channels/{channel_id}/control/disable_local_storage"

    /// Changing a channel from one region to another is modelled as disable, then enable
    /// [open]. The client offers the two calls; the applier sequences them.
    public static let regionChangeIsDisableThenEnable = true

    // MARK: Partner PATCH [open]

    /// PATCH /partners/{id} accepts a partial body (only the fields being changed) [open].
    public static let partnerPatchAcceptsPartialBody = true

    /// The partner's default region is written as `{"settings": {"default_data_localization_region": …}}`
    /// in the same PATCH, `null` reverting to default storage [open].
    public static let partnerDefaultRegionPatchPath = ["settings", "default_data_localization_region"]

    /// After apply, local storage is read back per channel (`filters={"id":…}`) for up to
    /// this many channels, and by paging through all channels above it (fewer requests).
    public static let verifyByListingThreshold = 20

    /// The `settings` object of that PATCH: the region, or an explicit null.
    static func partnerDefaultRegionPatch(_ choice: StorageChoice) throws -> OpenAPIObjectContainer {
        let field = partnerDefaultRegionPatchPath[1]
        switch choice {
        case .defaultStorage: return try OpenAPIObjectContainer(unvalidatedValue: [field: nil as (any Sendable)?])
        case .region(let code): return try OpenAPIObjectContainer(unvalidatedValue: [field: code])
        }
    }

    // MARK: Channel webhook [code]

    /// `GET /v1/configs/webhook` answering 404 means "no webhook set" [code, some integrations].
    public static func channelWebhookIsUnset(status: Int) -> Bool { status == 404 }

    /// What a 200 answer of `GET /v1/configs/webhook` says, read tolerantly: the one function
    /// behind plan, apply's read-back, drift and export. Fields other than `url` and
    /// `headers` are ignored. "No webhook set" in every plausible shape [open]: `{}`,
    /// `{"url": ""}`, `{"url": null}` (and 404, `channelWebhookIsUnset`); `"headers": null` is
    /// no headers. A `url` or `headers` of another type is `.malformed` with where, never the
    /// value (header values are secrets).
    public static func channelWebhook(in fields: [String: (any Sendable)?]) -> ChannelWebhookShape {
        var headers: [String: Secret] = [:]
        switch fields["headers"] {
        case nil, .some(nil): break
        case .some(let value?):
            guard let object = value as? [String: (any Sendable)?] else {
                return .malformed("headers is not an object")
            }
            for (name, entry) in object {
                guard let text = entry as? String else { return .malformed("the value of header \(name) is not text") }
                headers[name] = Secret(text)
            }
        }
        switch fields["url"] {
        case nil, .some(nil): return .unset
        case .some(let value?):
            guard let url = value as? String else { return .malformed("url is not text") }
            if isBlank(url) { return .unset }
            return .set(url: url, headers: headers)
        }
    }

    /// Whether a webhook URL is only whitespace (or empty), which means "no webhook set":
    /// `url.trimmingCharacters(in: .whitespaces).isEmpty`, read scalar by scalar. Foundation's
    /// set here is Unicode's space separators (Zs), the tab and the zero-width space (U+200B);
    /// its check went through `NSString`, about 2% of a 10,000-channel plan's CPU
    /// (docs/performance.md). A test compares the two for every scalar up to U+30FF.
    static func isBlank(_ url: String) -> Bool {
        url.unicodeScalars.allSatisfy { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// See `channelWebhook(in:)`.
    public enum ChannelWebhookShape: Sendable, Equatable {
        case set(url: String, headers: [String: Secret])
        case unset
        case malformed(String)
    }

    /// A channel key the Messaging API refuses: 401 (invalid) or 403 (no permission) [doc].
    public static func channelKeyRejected(status: Int) -> Bool { status == 401 || status == 403 }

    // MARK: Rate limits and retries [open]

    /// `Retry-After` is not documented [open]; when a response carries it (delta-seconds or
    /// an HTTP date), the client waits at least that long.
    public static let honoursRetryAfter = true

    /// The Messaging API's documented usage limits answer HTTP 400 "You have exceeded the
    /// limit…" rather than 429 [doc]. Matched tolerantly (case, wording around it), so a
    /// throttle is waited out like a 429 and never reported as a bad request.
    public static func isUsageLimit(status: Int, message: String?) -> Bool {
        guard status == 400, let text = message?.lowercased() else { return false }
        if text.contains("exceeded") && text.contains("limit") { return true }
        return text.contains("rate limit") || text.contains("too many requests")
    }

    /// Client-side rate limit per API host when the caller does not set one: a ceiling, below
    /// which the client learns the allowed rate from 429s, 400 usage limits and `Retry-After`,
    /// per host and per credential (`RequestPacer`). Only per-endpoint limits are documented
    /// (e.g. 5 / 30 s for the balance endpoint) [doc]. 50/s: the default parallelism (8) at a
    /// round trip of 150 ms or more sends at most about 53/s, so the ceiling rarely binds and a
    /// 10,000-channel plan is about 3.5 minutes, not 17 as at the former 10/s (docs/performance.md).
    public static let defaultRequestsPerSecond: Double = 50

    // MARK: Bearer tokens [doc]

    /// A token is renewed this long before `expires_in` runs out: a tenth of its lifetime,
    /// at most 60 s, so a token is never sent in its last moments.
    public static func tokenRenewalMargin(expiresIn: Duration) -> Duration {
        min(.seconds(60), expiresIn / 10)
    }
}
