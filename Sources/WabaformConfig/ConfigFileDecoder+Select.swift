import PartnerAPIRules

/// The values of one `select` entry: one value or a list (any of), each a `*` glob, and a
/// quoted leading `!` for "not".
extension ConfigFileDecoder {
    mutating func selectValues(_ pair: YAMLPair) -> [SelectValue]? {
        let what = "select value for \(pair.key)"
        guard let items = pair.value.items else {
            return selectValue(pair.value, what: what, key: pair.key).map { [$0] }
        }
        if items.isEmpty {
            error(at: pair.value.position, "\(what) is an empty list; list at least one value, e.g. \(pair.key): [\"a\", \"b\"]")
            return nil
        }
        var values: [SelectValue] = []
        var ok = true
        for item in items {
            if item.items != nil || item.pairs != nil {
                error(at: item.position, "\(what) must be a list of values, not of \(item.items != nil ? "lists" : "mappings")")
                ok = false
            } else if let value = selectValue(item, what: what, key: pair.key) {
                values.append(value)
            } else {
                ok = false
            }
        }
        return ok ? values : nil
    }

    /// One value: a glob, or `"!glob"` (quoted) for "not".
    mutating func selectValue(_ node: YAMLNode, what: String, key: String) -> SelectValue? {
        if let tag = node.scalar?.localTag {
            // `status: !pending` is a YAML tag on an empty value, not the text "!pending".
            let rest = node.scalar.map(\.text).map { $0.isEmpty ? "" : " \($0)" } ?? ""
            error(
                at: node.position,
                "an unquoted \(tag)\(rest) is a YAML tag, not a value; to select every \(key) but \(tag.dropFirst()), quote it: \(key): \"\(tag)\(rest)\""
            )
            return nil
        }
        guard let value = stringValue(node, what: what) else { return nil }
        // Only a `!` in the text as written negates: a variable's value is never an operator.
        guard value.raw.hasPrefix("!"), value.text.hasPrefix("!") else { return SelectValue(pattern: GlobPattern(value.text)) }
        let pattern = String(value.text.dropFirst())
        if pattern.isEmpty {
            error(at: node.position, "\(what) \"!\" negates nothing; write \"!value\", e.g. \"!pending\"")
            return nil
        }
        if pattern.hasPrefix("!") {
            error(
                at: node.position,
                "\(what) \(shown(value)) starts with two !; write one (\"!\(pattern.drop { $0 == "!" })\") to select every value but that")
            return nil
        }
        return SelectValue(pattern: GlobPattern(pattern), negated: true)
    }

    /// `!status`, `status!`, `not status`, `status!=`: a negation written on the key.
    static func negatedPath(_ path: String) -> String? {
        var text = Substring(path)
        for prefix in ["!", "not ", "not_", "NOT "] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        for suffix in ["!=", "!", " not"] where text.hasSuffix(suffix) { text = text.dropLast(suffix.count) }
        let candidate = String(text).trimmingSpaces
        return candidate != path && ChannelFieldPath.isKnown(candidate) ? candidate : nil
    }
}

/// Carve-outs: `webhook: unmanaged`, `local_storage: unmanaged`.
extension ConfigFileDecoder {
    static let carveOutWord = "unmanaged"

    enum CarveOut { case carveOut, reported, value }

    /// `.carveOut` for `unmanaged` (plain or quoted); `.reported` for a word that looks like
    /// an attempt at one (`none`, `ignore`, `Unmanaged`, …), with a located hint; else `.value`.
    mutating func carveOut(_ node: YAMLNode, attribute: ManagedAttribute) -> CarveOut {
        guard let scalar = node.scalar, scalar.localTag == nil else { return .value }
        if scalar.text == Self.carveOutWord { return .carveOut }
        let lower = scalar.text.lowercased()
        guard ["unmanage", "unmanged", "unmanaged", "ignore", "ignored", "skip", "keep", "leave", "none", "manual"].contains(lower)
        else { return .value }
        error(
            at: node.position,
            "\(attribute): \(scalar.text) is not a value; did you mean \(attribute): unmanaged (leave this channel's \(attribute) as it is, whatever broader rules say)?"
        )
        return .reported
    }
}
