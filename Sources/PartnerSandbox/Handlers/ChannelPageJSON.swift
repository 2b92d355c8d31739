import PartnerAPIRules

/// A `listChannels` 200 answer written straight to bytes, exactly as the generated server
/// writes it (Foundation's `JSONEncoder` with sorted keys and pretty printing: two-space
/// indent, `" : "`, `/` escaped, an empty container as open, two line breaks, close).
///
/// The generated way builds each channel as an `OpenAPIObjectContainer` and encodes it
/// through run-time casts: ~100 ms for a 1,000-channel page, on the cores the client under
/// test shares. `ChannelPageMiddleware` answers with this instead; `ChannelPageJSONTests`
/// compares the two byte for byte.
enum ChannelPageJSON {
    static func render(query: ChannelQuery, total: Int, page: [ChannelRecord], storageField: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + page.count * 800)
        out += "{\n".utf8
        member("count", level: 1, into: &out)
        out += "\(page.count),\n".utf8
        member("filters", level: 1, into: &out)
        object(query.filtersEcho.sorted { $0.key < $1.key }.map { WireMember($0.key, $0.value) }, level: 1, into: &out)
        out += ",\n".utf8
        member("limit", level: 1, into: &out)
        out += "\(query.limit),\n".utf8
        member("offset", level: 1, into: &out)
        out += "\(query.offset),\n".utf8
        member("partner_channels", level: 1, into: &out)
        if page.isEmpty {
            out += "[\n\n  ]".utf8
        } else {
            out += "[\n".utf8
            for (index, channel) in page.enumerated() {
                if index > 0 { out += ",\n".utf8 }
                indent(2, into: &out)
                var members = channel.wireMembers(storageField: storageField)
                let at = members.firstIndex { $0.key > "id" } ?? members.endIndex
                members.insert(WireMember("id", channel.id), at: at)
                object(members, level: 2, into: &out)
            }
            out += "\n  ]".utf8
        }
        out += ",\n".utf8
        member("sort", level: 1, into: &out)
        out += "[\n    ".utf8
        string((query.descending ? "-" : "") + query.sortPath, into: &out)
        out += "\n  ],\n".utf8
        member("total", level: 1, into: &out)
        out += "\(total)\n}".utf8
        return out
    }

    /// A `getChannelWebhook` 200 answer (`{"headers": {...}, "url": ...}`, headers only when
    /// set), as the generated server writes it: `WebhookAnswerMiddleware` answers with these.
    static func webhook(url: String, headers: [String: String]?) -> [UInt8] {
        var members: [WireMember] = []
        if let headers {
            members.append(WireMember("headers", .object(headers.sorted { $0.key < $1.key }.map { WireMember($0.key, $0.value) })))
        }
        members.append(WireMember("url", url))
        var out: [UInt8] = []
        out.reserveCapacity(64 + url.utf8.count)
        object(members, level: 0, into: &out)
        return out
    }

    private static func indent(_ level: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    /// `"key" : ` at `level`.
    private static func member(_ key: String, level: Int, into out: inout [UInt8]) {
        indent(level, into: &out)
        string(key, into: &out)
        out += " : ".utf8
    }

    /// An object whose members are in key order, opened where `out` ends, at `level`.
    private static func object(_ members: [WireMember], level: Int, into out: inout [UInt8]) {
        guard !members.isEmpty else {
            out += "{\n\n".utf8
            indent(level, into: &out)
            out.append(UInt8(ascii: "}"))
            return
        }
        out += "{\n".utf8
        for (index, entry) in members.enumerated() {
            if index > 0 { out += ",\n".utf8 }
            member(entry.key, level: level + 1, into: &out)
            switch entry.value {
            case .text(let text): string(text, into: &out)
            case .null: out += "null".utf8
            case .object(let inner): object(inner, level: level + 1, into: &out)
            }
        }
        out.append(UInt8(ascii: "\n"))
        indent(level, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// `string(_:into:)` onto bytes: the page is written as bytes, which append far more
    /// cheaply than a `String` built piece by piece (a 1,000-channel listing cost the
    /// sandbox ~107M instructions that way, measured with callgrind).
    static func string(_ text: String, into out: inout [UInt8]) {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }) {
            out.append(UInt8(ascii: "\""))
            out += text.utf8
            out.append(UInt8(ascii: "\""))
        } else {
            var escaped = ""
            string(text, into: &escaped)
            out += escaped.utf8
        }
    }

    /// A string as `JSONEncoder` escapes it: `"`, `\`, `/`, and control characters
    /// (`\b`, `\t`, `\n`, `\f`, `\r`, else `\u00xx`); everything else as itself.
    static func string(_ text: String, into out: inout String) {
        out += "\""
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }) {
            out += text
        } else {
            JSONText.escapeScalars(of: text, into: &out) { scalar in
                switch scalar.value {
                case 0x2F: "\\/"
                case 0x08: "\\b"
                case 0x0C: "\\f"
                case ..<0x20: "\\u" + JSONText.hex(scalar.value, width: 4, uppercase: false)
                default: nil
                }
            }
        }
        out += "\""
    }
}
