import Foundation

/// Reads a channel list page (`GET /partners/{id}/channels`, 200) straight from its bytes
/// into `LiveChannel`s, without the generated decoder: the generated `ChannelList` decodes
/// every undeclared channel field as an `OpenAPIValueContainer`, which tries `Bool`, `Int` and
/// `Double` before `String` and throws a `DecodingError` for each miss (about 50 per channel,
/// a third of all a plan's instructions: docs/performance.md).
///
/// It gives exactly what the generated decoder and `LiveChannel(wire:)` give, or nothing:
/// `read` returns nil for any answer it does not cover exactly (invalid JSON, another
/// encoding, a required field missing or of another type, a number written with an exponent,
/// beyond `Int` or an integral decimal, duplicate keys, a lone surrogate, nesting deeper than
/// `maxNesting`, a `data_localization_region` that is not text or null, …), and the caller then
/// decodes the same bytes the long way, so what such an answer produces, or the error it
/// throws, is today's. `ChannelPageReaderTests` checks both ways against each other.
///
/// Bounded: nesting beyond `maxNesting` is not followed (no recursion without a limit), and
/// numbers are never converted beyond `Int` or `Double`.
enum ChannelPageReader {
    /// The page as the generated `ChannelList` would hold it, channels already converted.
    struct Page: Sendable {
        var channels: [LiveChannel]
        var count: Int?
        var total: Int
        var offset: Int?
        var limit: Int?
    }

    /// Deepest nesting of arrays and objects this reader follows; deeper answers go the long way.
    static let maxNesting = 64

    /// The page, or nil when the long way must read it (see the type's description).
    static func read(_ data: Data) -> Page? {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var reader = Reader(bytes: bytes)
            return reader.page()
        }
    }

    /// A byte-level JSON reader (RFC 8259, UTF-8 only) over one answer; every method returns
    /// nil (or false) when the input leaves the subset it reads exactly.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var scratch: [UInt8] = []
        /// The keys of the objects being read, innermost last (duplicates go the long way);
        /// one buffer for all of them, so no object allocates its own.
        var keyStack: [String] = []
        /// Field paths already made on this page, by parent path and key: every channel of a
        /// page has the same paths, so each is built once and its text shared by all of them
        /// (a page of 1,000 channels made, and the fleet kept, one copy per channel).
        var paths: [PathKey: String] = [:]
        /// The channel being read: its field paths in the order they came, and their values.
        var fieldPaths: [String] = []
        var fieldValues: [String] = []
        /// Orders of fields met on this page (`fields()`).
        var layouts: [[String]: Layout] = [:]

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        // MARK: The page and its channels

        mutating func page() -> Page? {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var channels: [LiveChannel]?
            var total: Int?
            var count: Int?
            var offset: Int?
            var limit: Int?
            var more = !take(UInt8(ascii: "}"), afterSpace: true)
            while more {
                guard let key = newKey(since: 0) else { return nil }
                skipSpace()
                switch key {
                case "partner_channels":
                    guard let list = channelArray() else { return nil }
                    channels = list
                case "total":
                    guard let value = integer() else { return nil }
                    total = value
                case "count", "offset", "limit":
                    var value: Int?
                    if !takeLiteral("null") {
                        guard let number = integer() else { return nil }
                        value = number
                    }
                    switch key {
                    case "count": count = value
                    case "offset": offset = value
                    default: limit = value
                    }
                case "sort":
                    guard takeLiteral("null") || stringArray() else { return nil }
                case "filters":
                    guard takeLiteral("null") || (peek() == UInt8(ascii: "{") && skipValue(depth: 0)) else { return nil }
                default:
                    guard skipValue(depth: 0) else { return nil }
                }
                guard let next = afterMember(closing: UInt8(ascii: "}")) else { return nil }
                more = next
            }
            skipSpace()
            guard index == bytes.count, let channels, let total else { return nil }
            return Page(channels: channels, count: count, total: total, offset: offset, limit: limit)
        }

        /// `[channel, …]`.
        mutating func channelArray() -> [LiveChannel]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var channels: [LiveChannel] = []
            var more = !take(UInt8(ascii: "]"), afterSpace: true)
            while more {
                skipSpace()
                guard let channel = channel() else { return nil }
                channels.append(channel)
                guard let next = afterMember(closing: UInt8(ascii: "]")) else { return nil }
                more = next
            }
            return channels
        }

        /// One channel object, as `LiveChannel(wire:)` reads it.
        mutating func channel() -> LiveChannel? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var id: String?
            fieldPaths.removeAll(keepingCapacity: true)
            fieldValues.removeAll(keepingCapacity: true)
            let keysStart = keyStack.count
            defer { keyStack.removeSubrange(keysStart...) }
            // The region field as the one accessor must see it: absent, null or text.
            var region: [String: (any Sendable)?] = [:]
            var more = !take(UInt8(ascii: "}"), afterSpace: true)
            while more {
                guard let key = newKey(since: keysStart) else { return nil }
                skipSpace()
                if key == "id" {
                    guard let text = string() else { return nil }
                    id = text
                    keep(text, at: "id")
                } else {
                    if key == APIAssumptions.channelRegionField {
                        switch peek() {
                        case UInt8(ascii: "n"): region[key] = .some(nil)
                        case UInt8(ascii: "\""):
                            // Read again below into the fields; a string is cheap to read twice.
                            let start = index
                            guard let text = string() else { return nil }
                            region[key] = text
                            index = start
                        default: return nil  // another type: its description comes from the long way
                        }
                    }
                    guard flattenValue(path: path(nil, key), depth: 0) else { return nil }
                }
                guard let next = afterMember(closing: UInt8(ascii: "}")) else { return nil }
                more = next
            }
            guard let id, let fields = fields() else { return nil }
            return LiveChannel(id: id, localStorage: APIAssumptions.channelLocalStorage(in: region), fields: fields)
        }

        /// One value at `path`, as `ChannelFields.flatten` keeps it: text as is, numbers and
        /// booleans as their text, objects flattened to dotted paths up to
        /// `ChannelFields.maxDepth`; null and arrays left out. A path met twice goes the long
        /// way (`fields()`: which member wins there depends on dictionary order).
        mutating func flattenValue(path: String, depth: Int) -> Bool {
            switch peek() {
            case UInt8(ascii: "\""):
                guard let text = string() else { return false }
                keep(text, at: path)
                return true
            case UInt8(ascii: "t"):
                guard takeLiteral("true") else { return false }
                keep("true", at: path)
                return true
            case UInt8(ascii: "f"):
                guard takeLiteral("false") else { return false }
                keep("false", at: path)
                return true
            case UInt8(ascii: "n"): return takeLiteral("null")
            case UInt8(ascii: "["): return skipValue(depth: depth)
            case UInt8(ascii: "{"):
                guard depth < ChannelFields.maxDepth else { return skipValue(depth: depth) }
                return members { reader, key in reader.flattenValue(path: reader.path(path, key), depth: depth + 1) }
            default:
                guard let text = numberText() else { return false }
                keep(text, at: path)
                return true
            }
        }

        // MARK: JSON

        /// Any value, checked and passed over; `depth` counts the arrays and objects around it.
        mutating func skipValue(depth: Int) -> Bool {
            switch peek() {
            case UInt8(ascii: "\""): return skipString()
            case UInt8(ascii: "t"): return takeLiteral("true")
            case UInt8(ascii: "f"): return takeLiteral("false")
            case UInt8(ascii: "n"): return takeLiteral("null")
            case UInt8(ascii: "["):
                guard depth < ChannelPageReader.maxNesting else { return false }
                index += 1
                var more = !take(UInt8(ascii: "]"), afterSpace: true)
                while more {
                    skipSpace()
                    guard skipValue(depth: depth + 1), let next = afterMember(closing: UInt8(ascii: "]")) else { return false }
                    more = next
                }
                return true
            case UInt8(ascii: "{"):
                guard depth < ChannelPageReader.maxNesting else { return false }
                return members { reader, _ in reader.skipValue(depth: depth + 1) }
            default:
                return numberText() != nil
            }
        }

        /// `{"key": value, …}`, each key new in this object: `member` reads each value (the
        /// index is at the value); false as soon as the input leaves the subset read exactly.
        mutating func members(_ member: (inout Self, String) -> Bool) -> Bool {
            guard take(UInt8(ascii: "{")) else { return false }
            let keysStart = keyStack.count
            defer { keyStack.removeSubrange(keysStart...) }
            var more = !take(UInt8(ascii: "}"), afterSpace: true)
            while more {
                guard let key = newKey(since: keysStart) else { return false }
                skipSpace()
                guard member(&self, key), let next = afterMember(closing: UInt8(ascii: "}")) else { return false }
                more = next
            }
            return true
        }

        /// `["text", …]`.
        mutating func stringArray() -> Bool {
            guard take(UInt8(ascii: "[")) else { return false }
            var more = !take(UInt8(ascii: "]"), afterSpace: true)
            while more {
                skipSpace()
                guard skipString(), let next = afterMember(closing: UInt8(ascii: "]")) else { return false }
                more = next
            }
            return true
        }

        /// `"key" :` with the space around it; the index is left after the colon.
        mutating func memberKey() -> String? {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return nil }
            return key
        }

        /// `memberKey()`, unless the object (whose keys start at `keyStack[start]`) had it already.
        mutating func newKey(since start: Int) -> String? {
            guard let key = memberKey() else { return nil }
            for index in start..<keyStack.count where keyStack[index] == key { return nil }
            keyStack.append(key)
            return key
        }

        /// After a member or element: true at `,` (another follows), false at `closing`, nil otherwise.
        mutating func afterMember(closing: UInt8) -> Bool? {
            skipSpace()
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ",") { return true }
            if byte == closing { return false }
            return nil
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func take(_ byte: UInt8, afterSpace: Bool = false) -> Bool {
            if afterSpace { skipSpace() }
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func takeLiteral(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let text = literal.utf8Start
            for offset in 0..<count where bytes[index + offset] != text[offset] { return false }
            index += count
            return true
        }

        /// A string: its text, or nil (not a string, invalid UTF-8, a control character, a bad
        /// or lone-surrogate escape).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            var high: UInt8 = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    // ASCII is valid UTF-8 as it is (the common case, and the fast one).
                    return high < 0x80 ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                high |= byte
                index += 1
            }
            // Escapes: decode into the scratch buffer.
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(validating: scratch, as: UTF8.self)
                }
                if byte < 0x20 { return nil }
                if byte != UInt8(ascii: "\\") {
                    scratch.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var scalarValue = UInt32(unit)
                    if (0xD800...0xDBFF).contains(unit) {
                        guard takeLiteral("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                    scratch.append(contentsOf: UTF8.encode(scalar)!)
                default: return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt16? {
            guard bytes.count - index >= 4 else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
                index += 1
            }
            return value
        }

        /// A string passed over, checked as `string()` checks it.
        mutating func skipString() -> Bool {
            string() != nil
        }

        /// A number the long way reads as an `Int`: digits without a fraction or exponent,
        /// within `Int`. `-0` is 0.
        mutating func integer() -> Int? {
            let start = index
            guard let (end, isInteger) = numberEnd(), isInteger else {
                index = start
                return nil
            }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard let value = Int(String(decoding: text, as: UTF8.self)) else {
                index = start
                return nil
            }
            index = end
            return value
        }

        /// A number as `ChannelFields.flatten` renders it: an integer within `Int` as its
        /// digits (`-0` as `0`); a decimal without an exponent whose value is not integral as
        /// `Double`'s description. Anything else (an exponent, beyond `Int`, an integral
        /// decimal such as `1.0`) is left to the long way: nil.
        mutating func numberText() -> String? {
            let start = index
            guard let (end, isInteger) = numberEnd() else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            if isInteger {
                guard let value = Int(text) else { return nil }
                index = end
                return value == 0 ? "0" : text
            }
            guard let value = Double(text), value.isFinite, value.rounded() != value else { return nil }
            index = end
            return String(value)
        }

        /// Where the JSON number at `index` ends, and whether it is an integer (no fraction,
        /// no exponent); nil when it is not a JSON number or has an exponent.
        func numberEnd() -> (Int, Bool)? {
            var at = index
            func digit(_ at: Int) -> Bool { at < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) }
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digit(at) else { return nil }
            if bytes[at] == UInt8(ascii: "0") {
                at += 1
            } else {
                while digit(at) { at += 1 }
            }
            var isInteger = true
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digit(at) else { return nil }
                while digit(at) { at += 1 }
                isInteger = false
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") { return nil }
            return (at, isInteger)
        }
    }
}
