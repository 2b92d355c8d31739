import Foundation
import PartnerAPIRules

extension ChannelPageReader {
    /// A channel's webhook answer (`GET /v1/configs/webhook`, 200) read straight from its
    /// bytes, as `APIAssumptions.channelWebhook(in:)` reads the decoded object; nil when the
    /// long way must read it: not a JSON object this reader follows exactly, a repeated key, a
    /// header whose value is not text (which header the long way names depends on dictionary
    /// order), or nesting deeper than `maxNesting`.
    static func webhook(_ data: Data) -> APIAssumptions.ChannelWebhookShape? {
        whole(data) { $0.webhookAnswer() }
    }

    /// A JSON object whose every value is text, its keys all different (the webhook answer's
    /// `headers`); nil for anything else, which the caller reads the long way.
    static func textObject(_ data: Data) -> [String: String]? {
        whole(data) { $0.textObject() }
    }

    /// `parse` over all of `data`: nil unless it reads a value and only space follows it.
    static func whole<Value>(_ data: Data, _ parse: (inout Reader) -> Value?) -> Value? {
        data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            reader.skipSpace()
            guard let value = parse(&reader) else { return nil }
            reader.skipSpace()
            return reader.index == reader.bytes.count ? value : nil
        }
    }
}

extension ChannelPageReader.Reader {
    /// `{"name": "value", …}`, every value text and every name new; nil otherwise.
    mutating func textObject() -> [String: String]? {
        var object: [String: String] = [:]
        let read = members { reader, name in
            guard reader.peek() == UInt8(ascii: "\""), let value = reader.string() else { return false }
            object[name] = value
            return true
        }
        return read ? object : nil
    }

    mutating func webhookAnswer() -> APIAssumptions.ChannelWebhookShape? {
        /// nil: absent; .some(nil): null or not text (`urlIsText` tells which).
        var url: String??
        var urlIsText = true
        var headers: [String: Secret] = [:]
        var headersAreObject = true
        let read = members { reader, key in
            switch key {
            case "url":
                if reader.peek() == UInt8(ascii: "\"") {
                    guard let text = reader.string() else { return false }
                    url = .some(text)
                } else if reader.takeLiteral("null") {
                    url = .some(nil)
                } else {
                    guard reader.skipValue(depth: 0) else { return false }
                    (url, urlIsText) = (.some(nil), false)
                }
            case "headers":
                if reader.peek() == UInt8(ascii: "{") {
                    // Every value text (else the long way names the header that is not).
                    guard let read = reader.textObject() else { return false }
                    headers = read.mapValues(Secret.init)
                } else if !reader.takeLiteral("null") {
                    guard reader.skipValue(depth: 0) else { return false }
                    headersAreObject = false
                }
            default:
                return reader.skipValue(depth: 0)
            }
            return true
        }
        guard read else { return nil }
        // In `channelWebhook(in:)`'s order: the headers first, then the URL.
        guard headersAreObject else { return .malformed("headers is not an object") }
        guard urlIsText else { return .malformed("url is not text") }
        guard case .some(.some(let text)) = url else { return .unset }
        if APIAssumptions.isBlank(text) { return .unset }
        return .set(url: text, headers: headers)
    }
}
