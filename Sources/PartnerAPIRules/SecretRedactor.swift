import Synchronization

/// The one place that knows every secret value in play in this process — partner key,
/// password, bearer token, channel keys, webhook header values and the variables used in
/// them — and cuts them out of text before it is printed, logged, written or posted.
///
/// Every `Secret` registers its value here when it is made, so nothing has to remember to.
/// `redact` replaces, with `(sensitive)`:
/// - a secret as it is, JSON-escaped, URL-encoded, or in base64 (standard or URL-safe, at any
///   position in a longer base64 text, e.g. an echoed request body);
/// - any prefix of 6 or more characters of one of those forms (an API that echoes "the key
///   starting abc123…") that ends where a word ends and is not a plain word of letters under
///   12 characters (so a secret starting `action-` never cuts the word `action` out of JSON);
/// - values of 4 or 5 characters only as a whole. Shorter values are not redacted: they
///   would cut up ordinary words.
///
/// Erring on the safe side, a word that happens to start like a secret is cut too, and `+`
/// and `/` match `-` and `_` (the two base64 alphabets are one: see `canonical`).
public final class SecretRedactor: Sendable {
    /// The process-wide redactor every `Secret` registers with.
    public static let shared = SecretRedactor()

    public static let placeholder = "(sensitive)"
    /// Prefixes shorter than this are not redacted on their own.
    public static let minimumPrefix = 6
    /// Values shorter than this are not redacted at all.
    public static let minimumLength = 4

    private struct Index: Sendable {
        var known: Set<String> = []
        var pending: [String] = []
        /// Every secret's UTF-8 bytes, one after another; secret `i` ends at `secretEnds[i]`.
        var secrets: [UInt8] = []
        var secretEnds: [UInt32] = []
        /// Every form at least `minimumPrefix` bytes long, as a `FormRef`: a secret's bytes as
        /// they are or one of its base64 runs, read from `secrets` when compared (not stored:
        /// 100,000 channel keys' forms were 20 MB of text); the other forms (escaped ones, of
        /// the few secrets that have them) in `stored`, form `i` ending at `storedEnds[i]`.
        /// Compared in `canonical` bytes, so a base64 run and its URL-safe twin are one form.
        var forms: [UInt32] = []
        var stored: [UInt8] = []
        var storedEnds: [UInt32] = []
        /// First `minimumPrefix` bytes -> the last form added that starts with them; the form
        /// added before `i` with the same start is `previous[i]` (-1: none).
        var byPrefix: [UInt64: Int32] = [:]
        var previous: [Int32] = []
        /// A bit per hash of the first bytes: most windows are rejected without a lookup.
        var filter: [UInt64] = Array(repeating: 0, count: SecretRedactor.filterWords)
        /// Forms of 4 or 5 bytes, matched whole.
        var short: Set<[UInt8]> = []

        /// The bytes of secret `secret`.
        func secret(_ secret: Int) -> Range<Int> {
            (secret == 0 ? 0 : Int(secretEnds[secret - 1]))..<Int(secretEnds[secret])
        }
    }

    /// Where a form's bytes come from: the top bit set, `stored` form `ref & 0x7FFF_FFFF`;
    /// else secret `ref >> 2`, as it is (`ref & 3 == 0`) or its base64 run read as if
    /// `ref & 3 - 1` zero bytes came first (`base64Forms`).
    private enum FormRef {
        static let storedBit: UInt32 = 1 << 31

        /// How many bytes form `ref` has.
        static func count(_ ref: UInt32, in index: borrowing Index) -> Int {
            if ref & storedBit != 0 {
                let form = Int(ref & ~storedBit)
                return Int(index.storedEnds[form]) - (form == 0 ? 0 : Int(index.storedEnds[form - 1]))
            }
            let bytes = index.secret(Int(ref >> 2)).count
            let offset = Int(ref & 3)
            if offset == 0 { return bytes }
            let run = Base64Run(count: bytes, zeros: offset - 1)
            return run.length
        }

        /// Byte `position` of form `ref`, in `canonical` bytes.
        static func byte(_ ref: UInt32, at position: Int, in index: borrowing Index) -> UInt8 {
            if ref & storedBit != 0 {
                let form = Int(ref & ~storedBit)
                return index.stored[(form == 0 ? 0 : Int(index.storedEnds[form - 1])) + position]
            }
            let secret = index.secret(Int(ref >> 2))
            let offset = Int(ref & 3)
            if offset == 0 { return SecretRedactor.canonical[Int(index.secrets[secret.lowerBound + position])] }
            return Base64Run(count: secret.count, zeros: offset - 1).character(at: position) { index.secrets[secret.lowerBound + $0] }
        }
    }

    /// The base64 characters of `count` bytes read as if `zeros` zero bytes came first that
    /// depend on those bytes alone: where `base64Forms`' runs start and how long they are, and
    /// their characters computed one at a time (for the index, which keeps no copy of them).
    struct Base64Run {
        let count: Int
        let zeros: Int

        /// The characters the zeros before the bytes share with them, left out.
        var dropFront: Int { [0, 2, 3][zeros] }
        private var encoded: Int {
            let total = zeros + count
            return total / 3 * 4 + (total % 3 == 0 ? 0 : total % 3 + 1)
        }
        private var dropBack: Int { (zeros + count) % 3 == 0 ? 0 : 1 }

        /// How many characters the run has (0: none, as `base64Forms` leaves it out).
        var length: Int { max(0, encoded - dropFront - dropBack) }

        /// The run's character at `position` (standard alphabet: `canonical` already).
        func character(at position: Int, byte: (Int) -> UInt8) -> UInt8 {
            let character = dropFront + position
            let group = character / 4
            func value(_ at: Int) -> UInt32 {
                at < zeros || at >= zeros + count ? 0 : UInt32(byte(at - zeros))
            }
            let bits = value(3 * group) << 16 | value(3 * group + 1) << 8 | value(3 * group + 2)
            return SecretRedactor.base64Alphabet[Int((bits >> (18 - 6 * UInt32(character % 4))) & 63)]
        }
    }

    private static let filterBits = 20
    private static let filterWords = (1 << filterBits) / 64

    private let index = Mutex(Index())

    public init() {}

    /// Makes `value` known. Cheap: the forms are worked out when text is next redacted.
    public func register(_ value: String) {
        guard value.utf8.count >= Self.minimumLength else { return }
        index.withLock { index in
            if index.known.insert(value).inserted { index.pending.append(value) }
        }
    }

    /// Whether any secret is known.
    public var isEmpty: Bool { index.withLock { $0.known.isEmpty } }

    /// `text` with every known secret, in every form above, replaced by `(sensitive)`.
    public func redact(_ text: String) -> String {
        let snapshot: Index = index.withLock { index in
            if !index.pending.isEmpty {
                // Room for the secrets up front (growing geometrically still when a few come
                // later: never a copy per batch).
                let room = index.pending.reduce(0) { $0 + $1.utf8.count }
                if room > index.secrets.capacity - index.secrets.count {
                    index.secrets.reserveCapacity(max(index.secrets.count + room, 2 * index.secrets.capacity))
                }
                for value in index.pending { Self.add(value, to: &index) }
                index.pending = []
            }
            return index
        }
        guard !snapshot.known.isEmpty, !text.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var changed = false
        var copied = 0  // bytes[copied..<i] are not yet in out
        var i = 0
        let width = Self.minimumPrefix
        let placeholder = Array(Self.placeholder.utf8)
        func flush(to end: Int) {
            if !changed { out.reserveCapacity(bytes.count); changed = true }
            out.append(contentsOf: bytes[copied..<end])
        }
        while i < bytes.count {
            var matched = 0
            if i + width <= bytes.count {
                let key = Self.key(bytes, at: i)
                let hash = Self.hash(key)
                if snapshot.filter[hash >> 6] & (1 << (hash & 63)) != 0, let last = snapshot.byPrefix[key] {
                    var whole = false
                    var candidate = Int(last)
                    // The longest match wins, a whole form over a prefix as long: in any order.
                    while candidate >= 0 {
                        let ref = snapshot.forms[candidate]
                        let count = FormRef.count(ref, in: snapshot)
                        var length = width
                        while length < count, i + length < bytes.count,
                            Self.canonical[Int(bytes[i + length])] == FormRef.byte(ref, at: length, in: snapshot)
                        { length += 1 }
                        if length > matched || (length == matched && length == count) {
                            matched = length
                            whole = length == count
                        }
                        candidate = Int(snapshot.previous[candidate])
                    }
                    // Never end inside a multi-byte character; a prefix counts in characters.
                    while matched > 0, i + matched < bytes.count, bytes[i + matched] & 0xC0 == 0x80 { matched -= 1 }
                    if matched < width || bytes[i..<(i + matched)].count(where: { $0 & 0xC0 != 0x80 }) < width { matched = 0 }
                    if matched > 0, !whole, !Self.looksTruncated(bytes, at: i, length: matched) { matched = 0 }
                }
            }
            if matched == 0, !snapshot.short.isEmpty {
                for length in [5, 4] where i + length <= bytes.count && snapshot.short.contains(Array(bytes[i..<(i + length)])) {
                    matched = length
                    break
                }
            }
            if matched > 0 {
                flush(to: i)
                out.append(contentsOf: placeholder)
                i += matched
                copied = i
            } else {
                i += 1
            }
        }
        guard changed else { return text }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a partial match (a prefix of a secret, not all of it) stands as a cut-off secret
    /// rather than as part of ordinary text: it ends where a word ends (not inside `changes`),
    /// and it is not a plain word (`action` of `action-hook-secret`), unless it is long. Without
    /// this, a secret that starts with a common word would cut that word out of every output,
    /// JSON keys and saved plans included, and break them.
    static func looksTruncated(_ bytes: [UInt8], at start: Int, length: Int) -> Bool {
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }
        let end = start + length
        if end < bytes.count, isWordByte(bytes[end]) { return false }
        if length >= 12 { return true }
        return bytes[start..<end].contains { !((0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)) }
    }

    // MARK: Forms

    private static func add(_ value: String, to index: inout Index) {
        let raw = Array(value.utf8)
        let secret = UInt32(index.secretEnds.count)
        precondition(secret < 1 << 29, "more than 2^29 secrets")
        index.secrets.append(contentsOf: raw)
        index.secretEnds.append(UInt32(index.secrets.count))
        // The forms read from the secret's bytes, in canonical bytes: as it is, and the base64 runs.
        let derived: [(ref: UInt32, form: [UInt8])] =
            [(secret << 2, raw.map { canonical[Int($0)] })]
            + (0..<3).map { zeros in
                let run = Base64Run(count: raw.count, zeros: zeros)
                return (secret << 2 | UInt32(zeros + 1), (0..<run.length).map { run.character(at: $0) { raw[$0] } })
            }
        var added: [[UInt8]] = []
        for form in forms(of: value) {
            if form.count >= minimumPrefix {
                let form = form.map { canonical[Int($0)] }
                if added.contains(form) { continue }
                added.append(form)
                let ref: UInt32
                if let known = derived.first(where: { $0.form == form }) {
                    ref = known.ref
                } else {
                    ref = FormRef.storedBit | UInt32(index.storedEnds.count)
                    index.stored.append(contentsOf: form)
                    index.storedEnds.append(UInt32(index.stored.count))
                }
                let key = self.key(form, at: 0)
                let hash = self.hash(key)
                index.filter[hash >> 6] |= 1 << (hash & 63)
                let form32 = Int32(index.forms.count)
                index.previous.append(index.byPrefix.updateValue(form32, forKey: key) ?? -1)
                index.forms.append(ref)
            } else if form.count >= minimumLength {
                index.short.insert(form)
            }
        }
    }

    /// How many forms the index keeps as text of their own rather than reading them from the
    /// secret's bytes (for tests: none for a secret of letters, digits and `-._~`).
    func storedFormCount() -> Int { index.withLock { $0.storedEnds.count } }

    /// Every form the index holds, in canonical bytes, as it reads them (for tests: the same
    /// set as `forms(of:)` gives, canonical, for every secret registered and redacted since).
    func indexedForms() -> Set<[UInt8]> {
        index.withLock { index in
            Set(index.forms.map { ref in (0..<FormRef.count(ref, in: index)).map { FormRef.byte(ref, at: $0, in: index) } })
        }
    }

    /// Every form of `value` that is cut out, each once: as it is, JSON-escaped (three
    /// styles), percent-encoded (two) and the base64 runs (`base64Forms`).
    ///
    /// Run for every secret a plan knows (a channel key per channel: 100,000 in a large
    /// fleet), so it avoids hashing: the forms are a handful of short arrays, compared
    /// directly, and a value of unreserved ASCII (letters, digits, `-._~`, as most keys are)
    /// is its own JSON and percent form, so those five are not built at all.
    static func forms(of value: String) -> [[UInt8]] {
        let raw = Array(value.utf8)
        var forms: [[UInt8]] = [raw]
        forms.reserveCapacity(12)
        func insert(_ form: [UInt8]) { if !forms.contains(form) { forms.append(form) } }
        if !raw.allSatisfy(isUnreserved) {
            insert(Array(jsonEscaped(value, escapeSlash: false, asciiOnly: false).utf8))
            insert(Array(jsonEscaped(value, escapeSlash: true, asciiOnly: true).utf8))
            insert(Array(jsonEscaped(value, escapeSlash: false, asciiOnly: true).utf8))
            insert(Array(percentEncoded(value, spaceAsPlus: false).utf8))
            insert(Array(percentEncoded(value, spaceAsPlus: true).utf8))
        }
        for form in base64Forms(raw) { insert(form) }
        return forms
    }

    /// Letters, digits and `-._~`: a byte that JSON and percent-encoding both leave as it is.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// The value as it appears inside a JSON string, in the usual encoders' styles.
    static func jsonEscaped(_ value: String, escapeSlash: Bool, asciiOnly: Bool) -> String {
        // Printable ASCII without a quote, a backslash or (when escaped) a slash is its own JSON
        // form: most keys, each registered with every form (thousands of channel keys a plan).
        let plain = value.utf8.allSatisfy { byte in
            byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
                && !(escapeSlash && byte == UInt8(ascii: "/"))
        }
        if plain { return value }
        var out = ""
        JSONText.escapeScalars(of: value, into: &out) { scalar in
            if scalar == "/" { return escapeSlash ? "\\/" : nil }
            guard scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) else { return nil }
            // Outside the BMP: a surrogate pair, as encoders that escape non-ASCII write it.
            return String(scalar).utf16.map { "\\u" + JSONText.hex(UInt32($0), width: 4, uppercase: false) }.joined()
        }
        return out
    }

    /// Percent-encoding of everything but letters, digits and `-._~`.
    static func percentEncoded(_ value: String, spaceAsPlus: Bool) -> String {
        // Byte by byte: unreserved ASCII (letters, digits, `-._~`) as is, a space as `+` when
        // asked, anything else as `%XX`. Run for every form of every key registered (thousands
        // of channel keys in a plan), so no Unicode property lookups.
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else if byte == 0x20 && spaceAsPlus {
                out.append(UInt8(ascii: "+"))
            } else {
                out += [UInt8(ascii: "%"), upperHex[Int(byte >> 4)], upperHex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// The base64 characters that depend on the value alone, for each of the three positions
    /// it can start at inside a longer text; standard and URL-safe alphabets.
    static func base64Forms(_ bytes: [UInt8]) -> [[UInt8]] {
        var forms: [[UInt8]] = []
        forms.reserveCapacity(6)
        for zeros in 0..<3 {
            let run = Base64Run(count: bytes.count, zeros: zeros)
            guard run.length > 0 else { continue }
            let core = Array(base64(bytes, after: zeros)[run.dropFront..<(run.dropFront + run.length)])
            forms.append(core)
            forms.append(core.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 })
        }
        return forms
    }

    /// Base64 without padding of `bytes`, read as if `zeros` zero bytes came first.
    static func base64(_ bytes: [UInt8], after zeros: Int = 0) -> [UInt8] {
        let count = zeros + bytes.count
        func byte(_ position: Int) -> UInt32 { position < zeros || position >= count ? 0 : UInt32(bytes[position - zeros]) }
        var out: [UInt8] = []
        out.reserveCapacity((count + 2) / 3 * 4)
        var index = 0
        while index < count {
            let group = byte(index) << 16 | byte(index + 1) << 8 | byte(index + 2)
            let characters = min(3, count - index) + 1
            for position in 0..<characters { out.append(base64Alphabet[Int((group >> (18 - 6 * UInt32(position))) & 63)]) }
            index += 3
        }
        return out
    }

    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The first `minimumPrefix` bytes at `start` as one number, read in `canonical` bytes
    /// (stored forms are canonical already: reading them so again changes nothing).
    private static func key(_ bytes: [UInt8], at start: Int) -> UInt64 {
        var key: UInt64 = 0
        for offset in 0..<minimumPrefix { key = key << 8 | UInt64(canonical[Int(bytes[start + offset])]) }
        return key
    }

    /// Every byte as itself but `-` and `_`, read as `+` and `/`: the URL-safe base64 alphabet
    /// as the standard one. A form matches in either alphabet, and so does a raw value with
    /// `-` or `_` when the text has `+` or `/` there: cut out too, on the safe side.
    static let canonical: [UInt8] = (0...255).map { byte in
        byte == UInt8(ascii: "-") ? UInt8(ascii: "+") : byte == UInt8(ascii: "_") ? UInt8(ascii: "/") : UInt8(byte)
    }

    private static func hash(_ key: UInt64) -> Int {
        Int((key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - filterBits))
    }
}
