import AsyncHTTPClient
import Foundation
import NIOCore
import PartnerAPIRules

/// `drift --notify URL`: one JSON POST when drift is found — a Slack-compatible `text` and the
/// plan as `report`. Neither holds a secret. The URL itself may (Slack webhook URLs carry a
/// token), so messages name only its host.
public enum DriftNotifier {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Checks the URL: https, or http to a loopback address.
    public static func validate(_ string: String) throws(Failure) -> URL {
        if let hidden = string.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F || TerminalText.isInvisibleOrBidi($0) }) {
            throw Failure(
                description:
                    "--notify URL contains the invisible or control character \(WebhookURLRule.codePoint(hidden)); retype it without")
        }
        guard let url = URL(string: string), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty, host != "[]" else {
            throw Failure(description: "--notify needs a URL like https://hooks.slack.com/services/…")
        }
        guard scheme == "https" || (scheme == "http" && Endpoints.isLoopback(host: host)) else {
            throw Failure(description: "--notify must use https (plain http only to a loopback address), not \(scheme)://\(host)")
        }
        return url
    }

    public static func message(for plan: Plan) -> [String: Any] {
        var lines = ["wabaform drift: partner \(TerminalText.escaped(plan.partnerID)) differs from its configuration. \(plan.summaryLine)"]
        for change in plan.changes.prefix(20) {
            lines += ChangeLines.lines(for: change).map { "\(TerminalText.escaped(change.resource.address)): \($0.symbol) \($0.text)" }
        }
        if plan.changes.count > 20 { lines.append("… and \(plan.changes.count - 20) more; run `wabaform drift` for the full report.") }
        let report = (try? JSONSerialization.jsonObject(with: Data(JSONPlanRenderer().render(plan).utf8))) ?? [:]
        return ["text": lines.joined(separator: "\n"), "report": report]
    }

    /// The one message after drift clears (`--notify-state`): `resolved: true`, no report.
    public static func resolvedMessage(partnerID: String) -> [String: Any] {
        [
            "text":
                "wabaform drift: partner \(TerminalText.escaped(partnerID)) is in sync with its configuration again; the drift reported earlier is resolved.",
            "resolved": true,
        ]
    }

    public static func post(_ plan: Plan, to url: URL, timeout: Duration = .seconds(30)) async throws(Failure) {
        try await post(message: message(for: plan), to: url, timeout: timeout)
    }

    public static func post(message: [String: Any], to url: URL, timeout: Duration = .seconds(30)) async throws(Failure) {
        let host = url.host ?? "?"
        do {
            let json = try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])
            // Nothing in it should be secret; if anything is, it is cut out before it leaves.
            let body = Data(SecretRedactor.shared.redact(String(decoding: json, as: UTF8.self)).utf8)
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
            let seconds = Int64(timeout.components.seconds)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(max(1, seconds)))
            _ = try? await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(Int(response.status.code)) else {
                throw Failure(description: "the drift notification to \(host) was refused: HTTP \(response.status.code)")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "the drift notification to \(host) failed: \(plainReason(for: error, timeout: timeout))")
        }
    }

    /// What went wrong, in words: never a library's type name, internals or a build path.
    static func plainReason(for error: any Error, timeout: Duration) -> String {
        switch TransportFailure.reason(for: error, timeout: timeout) {
        case .timedOut(let limit)?: "no answer within \(APIConnectionError.format(limit))"
        case .unreachable(let detail)?: "cannot connect: \(detail)"
        case .closed?: "the connection closed before an answer"
        case .invalidResponse(let detail)?: detail
        case .other?, nil:
            String(describing: error).contains("SSL") || String(describing: error).contains("TLS")
                ? "the TLS connection failed" : "the request could not be sent or answered"
        }
    }
}
