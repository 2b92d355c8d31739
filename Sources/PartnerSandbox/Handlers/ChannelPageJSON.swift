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
        var out = ""
        out.reserveCapacity(512 + page.count * 800)
        out += "{\n"
        member("count", level: 1, into: &out)
        out += "\(page.count),\n"
        member("filters", level: 1, into: &out)
        object(query.filtersEcho.sorted { $0.key < $1.key }.map { WireMember($0.key, $0.value) }, level: 1, into: &out)
        out += ",\n"
        member("limit", level: 1, into: &out)
        out += "\(query.limit),\n"
        member("offset", level: 1, into: &out)
        out += "\(query.offset),\n"
        member("partner_channels", level: 1, into: &out)
        if page.isEmpty {
            out += "[\n\n  ]"
        } else {
            out += "[\n"
            for (index, channel) in page.enumerated() {
                if index > 0 { out += ",\n" }
                indent(2, into: &out)
                var members = channel.wireMembers(storageField: storageField)
                let at = members.firstIndex { $0.key > "id" } ?? members.endIndex
                members.insert(WireMember("id", channel.id), at: at)
                object(members, level: 2, into: &out)
            }
            out += "\n  ]"
        }
        out += ",\n"
        member("sort", level: 1, into: &out)
        out += "[\n    "
        string((query.descending ? "-" : "") + query.sortPath, into: &out)
        out += "\n  ],\n"
        member("total", level: 1, into: &out)
        out += "\(total)\n}"
        return Array(out.utf8)
    }

    private static func indent(_ level: Int, into out: inout String) {
        for _ in 0..<level { out += "  " }
    }

    /// `"key" : ` at `level`.
    private static func member(_ key: String, level: Int, into out: inout String) {
        indent(level, into: &out)
        string(key, into: &out)
        out += " : "
    }

    /// An object whose members are in key order, opened where `out` ends, at `level`.
    private static func object(_ members: [WireMember], level: Int, into out: inout String) {
        guard !members.isEmpty else {
            out += "{\n\n"
            indent(level, into: &out)
            out += "}"
            return
        }
        out += "{\n"
        for (index, entry) in members.enumerated() {
            if index > 0 { out += ",\n" }
            member(entry.key, level: level + 1, into: &out)
            switch entry.value {
            case .text(let text): string(text, into: &out)
            case .null: out += "null"
            case .object(let inner): object(inner, level: level + 1, into: &out)
            }
        }
        out += "\n"
        indent(level, into: &out)
        out += "}"
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
