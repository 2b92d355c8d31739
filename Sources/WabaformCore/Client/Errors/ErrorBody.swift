import Foundation

/// The message and trace id inside an error answer, from every shape the APIs use:
/// - `{"meta": {"http_code", "developer_message", "360dialog_trace_id"}}` [doc]
/// - the same with camelCase `httpCode` / `developerMessage` / `traceId` [doc/code]
/// - `meta.error` holding Meta's raw error (an object, or JSON text of one) [code]
/// - `details: [...]` (texts or objects with a message) and `error_data: {...}` [code]
/// - `{"error": "..."}` or `{"error": {"message": "...", "error_data": {"details": ...}}}` [code]
/// - anything else: the body itself, whitespace collapsed and shortened.
struct ErrorBody: Equatable, Sendable {
    var message: String?
    var traceID: String?

    /// Longest raw body quoted in a message.
    static let rawLimit = 300

    static let messageKeys = ["developer_message", "developerMessage", "message", "error_user_msg", "detail", "title"]
    static let traceKeys = ["360dialog_trace_id", "360dialogTraceId", "trace_id", "traceId", "fbtrace_id"]

    static func parse(_ bytes: some Collection<UInt8>) -> ErrorBody {
        let data = Data(bytes)
        if let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any] {
            var parts: [String] = []
            var trace: String?
            func add(_ text: String?) {
                guard let text, !text.isEmpty, !parts.contains(text) else { return }
                parts.append(text)
            }
            func take(_ object: [String: Any]) {
                add(string(object, messageKeys))
                trace = trace ?? string(object, traceKeys)
                add(details(object["details"]))
                if let data = object["error_data"] as? [String: Any] { add(string(data, ["details", "message", "detail"])) }
                if let text = object["error_data"] as? String { add(text) }
            }
            if let meta = object["meta"] as? [String: Any] {
                take(meta)
                if let nested = metaError(meta["error"]) { take(nested) } else if let text = meta["error"] as? String { add(text) }
            }
            switch object["error"] {
            case let text as String: add(text)
            case let nested as [String: Any]:
                take(nested)
                if parts.isEmpty { add(string(nested, ["type", "code"])) }
            default: break
            }
            take(object)
            if let errors = object["errors"] { add(details(errors)) }
            if !parts.isEmpty || trace != nil {
                return ErrorBody(message: parts.isEmpty ? nil : parts.joined(separator: ": "), traceID: trace)
            }
        }
        return ErrorBody(message: raw(data), traceID: nil)
    }

    /// Meta's raw error inside `meta.error`: an object, `{"error": {...}}`, or JSON text of either.
    private static func metaError(_ value: Any?) -> [String: Any]? {
        var value = value
        if let text = value as? String, text.hasPrefix("{") {
            value = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        }
        guard let object = value as? [String: Any] else { return nil }
        if let inner = object["error"] as? [String: Any] { return inner }
        return object
    }

    /// `details` / `errors` as one line: texts, or objects with a message (and a field).
    private static func details(_ value: Any?) -> String? {
        let items: [Any]
        switch value {
        case let list as [Any]: items = list
        case let text as String: return text.isEmpty ? nil : text
        case let object as [String: Any]: items = [object]
        default: return nil
        }
        let texts = items.compactMap { item -> String? in
            if let text = item as? String { return text }
            guard let object = item as? [String: Any] else { return nil }
            let message = string(object, ["message", "msg", "description", "detail", "developer_message", "error"])
            let field = string(object, ["field", "loc", "path", "param"])
            switch (field, message) {
            case (let field?, let message?): return "\(field): \(message)"
            default: return message
            }
        }
        return texts.isEmpty ? nil : texts.joined(separator: "; ")
    }

    private static func string(_ object: [String: Any], _ keys: String...) -> String? { string(object, keys) }

    private static func string(_ object: [String: Any], _ keys: [String]) -> String? {
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
    /// error status, else 500. Nil for anything else (every real success). `scan: false` parses
    /// every object in full, as before the `mayHoldMetaKey` shortcut (tests compare the two).
    static func envelopeError(
        _ bytes: some Collection<UInt8>, scan: Bool = true
    ) -> (httpCode: Int, message: String?, traceID: String?)? {
        guard bytes.first(where: { !$0.isASCIIWhitespace }) == UInt8(ascii: "{"), !scan || mayHoldMetaKey(bytes),
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

    /// Whether JSON text `bytes` may have a member named `meta`: it holds `"meta"` literally, a
    /// `\u` escape that could spell it otherwise, or a NUL byte (UTF-16 or UTF-32 text, which
    /// `JSONSerialization` also reads). Other escapes (`\/` in every URL some encoders send,
    /// `\"`, `\\`) spell no letter of it and are skipped. False means no object in the text
    /// has such a member, so a success answer (a page of channels, a webhook) is not parsed a
    /// second time just to find none.
    static func mayHoldMetaKey(_ bytes: some Collection<UInt8>) -> Bool {
        if let answer = bytes.withContiguousStorageIfAvailable({ scanForMeta($0) }) { return answer }
        return scanForMeta(Array(bytes))
    }

    private static func scanForMeta(_ bytes: some RandomAccessCollection<UInt8>) -> Bool {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), u = UInt8(ascii: "u")
        let key: [UInt8] = Array("\"meta\"".utf8)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == 0 { return true }
            if byte == backslash {
                let escaped = bytes.index(after: index)
                if escaped == bytes.endIndex || bytes[escaped] == u { return true }
                index = bytes.index(after: escaped)
                continue
            }
            if byte == quote, bytes[index...].starts(with: key) { return true }
            index = bytes.index(after: index)
        }
        return false
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
