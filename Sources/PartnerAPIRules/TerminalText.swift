/// Text that came from outside (the API, a config file, the environment) made safe to show
/// on a terminal, in Markdown or in a log: control, bidirectional and zero-width characters
/// are shown escaped (`\e`, `\n`, `\u{202E}`), so a name cannot move the cursor, recolour or
/// hide a line, reorder what follows it, or start a new line that looks like wabaform's own.
/// JSON output does not use this: it stays exact, with JSON's own escaping.
public enum TerminalText {
    /// `text` with every unsafe character escaped; text without any comes back unchanged.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) { out.append(contentsOf: escape(scalar).unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// `text` with every unsafe character written as its code point (`\u{1B}`, `\u{A}`), for
    /// reports that name the character rather than its usual escape (doctor's evidence, a
    /// keys helper's command line). `keepingTabs`: tabs stay as they are.
    public static func codePoints(_ text: String, keepingTabs: Bool = false) -> String {
        func hidden(_ scalar: Unicode.Scalar) -> Bool { isUnsafe(scalar) && !(keepingTabs && scalar == "\t") }
        guard text.unicodeScalars.contains(where: hidden) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if hidden(scalar) {
                out.append(contentsOf: ("\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}").unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether `text` holds a character `escaped` would change.
    public static func needsEscaping(_ text: String) -> Bool { text.unicodeScalars.contains(where: isUnsafe) }

    /// Control characters (C0, DEL, C1), line and paragraph separators, and format
    /// characters: bidirectional marks, embeddings, overrides and isolates, zero-width
    /// spaces and joiners, the byte-order mark, soft hyphen and the like.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return true }
        if value < 0xA0 { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// Whether `scalar` is invisible or reorders text: what a host name or header must not
    /// hold (a zero-width space makes a look-alike host).
    public static func isInvisibleOrBidi(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x80 else { return false }
        return isUnsafe(scalar) || scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.isBidiControl
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        case "\u{1B}": "\\e"
        case "\0": "\\0"
        default: "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }

    /// For output a program wrote itself that may embed unsafe text it did not escape (a
    /// library's message): everything unsafe is escaped except line breaks and tabs, and
    /// wabaform's own colour and erase-line sequences (ESC `[` digits/`;` then `m` or `K`).
    public static func sanitizedForTerminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) && $0 != "\n" && $0 != "\t" && $0 != "\r" }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\t" || scalar == "\r" || !isUnsafe(scalar) {
                out.append(scalar)
                index += 1
                continue
            }
            if scalar == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "[" {
                var end = index + 2
                while end < scalars.count, ("0"..."9").contains(scalars[end]) || scalars[end] == ";" { end += 1 }
                if end < scalars.count, scalars[end] == "m" || scalars[end] == "K" {
                    out.append(contentsOf: scalars[index...end])
                    index = end + 1
                    continue
                }
            }
            out.append(contentsOf: escape(scalar).unicodeScalars)
            index += 1
        }
        return String(out)
    }
}
