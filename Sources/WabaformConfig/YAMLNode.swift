/// A 1-based line and column in one file.
struct YAMLPosition: Sendable, Hashable, Comparable {
    let line: Int
    let column: Int

    static func < (lhs: YAMLPosition, rhs: YAMLPosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// The loader's own view of a composed YAML document: every scalar keeps its source text
/// and style (nothing is turned into a bool or number), every node its position, and
/// mappings keep their key order. Built from Yams nodes by `YAMLComposer`.
struct YAMLNode: Sendable {
    enum Kind: Sendable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    let kind: Kind
    let position: YAMLPosition

    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = kind { return scalar }
        return nil
    }

    var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// "a string", "a mapping", "a list", for "must be X, not Y" messages.
    var kindDescription: String {
        switch kind {
        case .scalar(let scalar): scalar.isNull ? "empty" : "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

struct YAMLScalar: Sendable {
    enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    /// The value as YAML reads it, never converted (quotes and escapes processed).
    let text: String
    let style: Style
    /// True for a plain scalar without an explicit `!!str` tag: the only kind YAML
    /// would turn into a bool, a number or null.
    let isPlainUntagged: Bool
    /// A local tag written before the value (`!pending` in `status: !pending`), which YAML
    /// reads as a type tag, not as text; nil for untagged values and `!!str`/`!`.
    var localTag: String? = nil

    /// YAML 1.1 booleans (as PyYAML and many editors read them).
    static let booleanWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// A plain scalar that YAML tools read as a boolean.
    var isBooleanLike: Bool { isPlainUntagged && Self.booleanWords.contains(text) }
    /// A plain scalar that YAML tools read as null (including an absent value).
    var isNull: Bool { isPlainUntagged && Self.nullWords.contains(text) }
    /// Quoted or block scalars: the text is exactly what the user meant.
    var isSingleLineQuoted: Bool { style == .singleQuoted || style == .doubleQuoted }
}

struct YAMLPair: Sendable {
    /// The key's text (keys are always scalars; others are rejected while composing).
    let key: String
    let keyPosition: YAMLPosition
    let value: YAMLNode
}
