import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends "revert the partner's default region to default storage" as an explicit
/// `{"settings": {"default_data_localization_region": null}}` [open].
///
/// The generated `PartnerPatch` encodes a nil region by leaving the key out, so the
/// client's request says `"settings": {}`. The client builds an empty `settings` object
/// for no other reason, so this layer turns exactly that into the explicit null the
/// reference describes. Other operations and bodies pass untouched.
struct PartnerPatchMiddleware: ClientMiddleware {
    static let operationID = "updatePartner"

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == Self.operationID, let body else { return try await next(request, body, baseURL) }
        let bytes = try await Data(collecting: body, upTo: 1 << 20)
        var request = request
        request.headerFields[.contentLength] = nil
        return try await next(request, HTTPBody(Self.rewrite(bytes)), baseURL)
    }

    static func rewrite(_ data: Data) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let settings = object["settings"] as? [String: Any], settings.isEmpty
        else { return data }
        let field = APIAssumptions.partnerDefaultRegionPatchPath[1]
        object["settings"] = [field: NSNull()]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? data
    }
}
