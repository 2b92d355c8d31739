import Foundation

/// The message and trace id inside an error answer, from every shape the APIs use:
/// - `{"meta": {"http_code", "developer_message", "360dialog_trace_id"}}` [doc]
/// - the same with camelCase `httpCode` / `developerMessage` / `traceId` [doc/code]
/// - `{"error": "..."}` or `{"error": {"message": "..."}}` [code]
/// - anything else: the body itself, whitespace collapsed and shortened.
struct ErrorBody: Equatable, Sendable {
    var message: String?
    var traceID: String?

    /// Longest raw body quoted in a message.
    static let rawLimit = 300

    static func parse(_ bytes: some Collection<UInt8>) -> ErrorBody {
        let data = Data(bytes)
        if let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any] {
            if let meta = object["meta"] as? [String: Any] {
                let message = string(meta, "developer_message", "developerMessage", "message")
                let trace = string(meta, "360dialog_trace_id", "360dialogTraceId", "trace_id", "traceId")
                if message != nil || trace != nil { return ErrorBody(message: message, traceID: trace) }
            }
            if let error = object["error"] {
                if let text = error as? String { return ErrorBody(message: text, traceID: string(object, "360dialog_trace_id", "trace_id")) }
                if let nested = error as? [String: Any] {
                    let message = string(nested, "message", "developer_message", "error_user_msg", "type")
                    let trace = string(nested, "360dialog_trace_id", "fbtrace_id", "trace_id")
                    if message != nil || trace != nil { return ErrorBody(message: message, traceID: trace) }
                }
            }
            if let message = string(object, "developer_message", "developerMessage", "message", "detail") {
                return ErrorBody(message: message, traceID: string(object, "360dialog_trace_id", "trace_id"))
            }
        }
        return ErrorBody(message: raw(data), traceID: nil)
    }

    private static func string(_ object: [String: Any], _ keys: String...) -> String? {
        for key in keys {
            if let value = object[key] as? String, !value.isEmpty { return value }
            if let value = object[key] as? NSNumber { return value.stringValue }
        }
        return nil
    }

    /// The body as one line of text, shortened; nil when empty or not text.
    static func raw(_ data: Data) -> String? {
        guard !data.isEmpty, let text = String(data: data, encoding: .utf8) else { return nil }
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard !collapsed.isEmpty else { return nil }
        if collapsed.count <= rawLimit { return collapsed }
        return String(collapsed.prefix(rawLimit)) + "… (\(data.count) bytes)"
    }

    /// An error envelope inside a 2xx answer: `{"meta": {"success": false, …}}` or a
    /// `meta.http_code` of 400 or more. The status reported is `http_code` when it is an
    /// error status, else 500. Nil for anything else (every real success).
    static func envelopeError(_ bytes: some Collection<UInt8>) -> (httpCode: Int, message: String?, traceID: String?)? {
        guard bytes.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "{"),
              let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
              let meta = object["meta"] as? [String: Any]
        else { return nil }
        let code = (meta["http_code"] as? NSNumber)?.intValue ?? (meta["httpCode"] as? NSNumber)?.intValue
        let failed = (meta["success"] as? Bool) == false || (code ?? 0) >= 400
        guard failed else { return nil }
        let parsed = parse(bytes)
        let status = code.flatMap { (400..<600).contains($0) ? $0 : nil } ?? 500
        return (status, parsed.message, parsed.traceID)
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
