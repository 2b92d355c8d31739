import ArgumentParser

/// An error the user can act on: printed as `error: MESSAGE` to stderr, exit code 1.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
