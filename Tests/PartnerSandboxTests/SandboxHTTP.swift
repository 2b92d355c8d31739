import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WabaformTestSupport
@testable import PartnerSandbox

/// A small HTTP helper for talking to a sandbox over real loopback HTTP.
struct SandboxHTTP {
    let sandbox: RunningSandbox

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: String

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }

        /// `meta.developer_message` of an error envelope.
        var developerMessage: String? { (json["meta"] as? [String: Any])?["developer_message"] as? String }
        var traceID: String? { (json["meta"] as? [String: Any])?["360dialog_trace_id"] as? String }
        var httpCode: Int? { (json["meta"] as? [String: Any])?["http_code"] as? Int }
    }

    func send(
        _ method: HTTPMethod, _ path: String, headers: [String: String] = [:], body: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: sandbox.baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
    }

    /// Partner API call with the partner key.
    func partner(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> Reply {
        try await send(method, "/api/v2" + path, headers: ["X-API-Key": sandbox.partnerKey], body: body)
    }

    func channelKey(_ id: String) async -> String {
        await sandbox.store.state.channels[id]!.apiKey
    }

    /// All channels, paging with `limit`, as ids in the order served.
    func pageThrough(limit: Int, extraQuery: String = "") async throws -> (ids: [String], requests: Int) {
        var ids: [String] = []
        var offset = 0
        var requests = 0
        while true {
            let reply = try await partner(
                .GET, "/partners/\(sandbox.partnerID)/channels?limit=\(limit)&offset=\(offset)\(extraQuery)")
            requests += 1
            guard reply.status == 200 else { throw Failure(description: "status \(reply.status): \(reply.body)") }
            let page = reply.json["partner_channels"] as? [[String: Any]] ?? []
            ids += page.compactMap { $0["id"] as? String }
            offset += page.count
            let total = reply.json["total"] as? Int ?? 0
            if page.isEmpty || offset >= total { break }
        }
        return (ids, requests)
    }

    struct Failure: Error, CustomStringConvertible { var description: String }
}

func withSandbox<T: Sendable>(
    _ configuration: SandboxConfiguration = SandboxConfiguration(),
    _ body: @Sendable (SandboxHTTP) async throws -> T
) async throws -> T {
    try await Sandbox.withRunning(configuration) { sandbox in try await body(SandboxHTTP(sandbox: sandbox)) }
}

/// A fresh temporary directory for state files.
func temporaryDirectory() throws -> String {
    try Scratch.directory("sandbox")
}
