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
