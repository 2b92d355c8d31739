/// What `ConfigLoader.load` gives: the merged config when there is no error, and every
/// diagnostic (errors and warnings), sorted by file, line and column.
public struct ConfigLoadResult: Sendable {
    /// Nil exactly when `diagnostics` has an error.
    public let config: DesiredConfig?
    public let diagnostics: [Diagnostic]
    /// Every file read or attempted, in load order.
    public let files: [String]

    public var succeeded: Bool { config != nil }

    /// The config, or a `ConfigLoadError` carrying the diagnostics.
    public func get() throws(ConfigLoadError) -> DesiredConfig {
        guard let config else { throw ConfigLoadError(diagnostics: diagnostics) }
        return config
    }
}

/// The config has errors; `diagnostics` says what and where (warnings included).
public struct ConfigLoadError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public var description: String { Diagnostic.renderText(diagnostics) }
}
