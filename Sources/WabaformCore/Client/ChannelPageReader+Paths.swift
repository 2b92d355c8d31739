extension ChannelPageReader.Reader {
    struct PathKey: Hashable {
        var parent: String?
        var key: String
    }

    /// Distinct paths kept at most; past it each is built as it comes (a hostile page with a
    /// new key in every channel cannot grow this without bound).
    static let pathLimit = 4096

    /// The path of `key` under `parent` (the key itself at the top), shared when made before.
    mutating func path(_ parent: String?, _ key: String) -> String {
        let pathKey = PathKey(parent: parent, key: key)
        if let known = paths[pathKey] { return known }
        let path = parent.map { $0 + "." + key } ?? key
        if paths.count < Self.pathLimit { paths[pathKey] = path }
        return path
    }
}

extension ChannelPageReader.Reader {
    /// The sorted paths of channels whose fields came in one order, and for each sorted
    /// path where its value came.
    struct Layout {
        var paths: LiveFields.Paths
        var order: [Int]
    }

    /// Orders of fields kept at most; past it each channel's is worked out alone.
    static let layoutLimit = 64

    mutating func keep(_ value: String, at path: String) {
        fieldPaths.append(path)
        fieldValues.append(value)
    }

    /// The channel's fields as read, sharing their paths with the page's other channels whose
    /// fields came in the same order (all of them, as a rule); nil when a path came twice.
    mutating func fields() -> LiveFields? {
        let values = fieldValues
        if let layout = layouts[fieldPaths] {
            return LiveFields(paths: layout.paths, values: layout.order.lazy.map { values[$0] })
        }
        let names = fieldPaths
        let order = names.indices.sorted { names[$0] < names[$1] }
        guard let paths = LiveFields.Paths.shared(sorted: order.map { names[$0] }) else { return nil }
        if layouts.count < Self.layoutLimit { layouts[fieldPaths] = Layout(paths: paths, order: order) }
        return LiveFields(paths: paths, values: order.lazy.map { values[$0] })
    }
}
