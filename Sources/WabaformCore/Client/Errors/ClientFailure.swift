import OpenAPIRuntime

/// Errors thrown through generated code arrive wrapped in `ClientError`.
enum ClientFailure {
    static func unwrap(_ error: any Error) -> any Error {
        var current = error
        while let wrapped = current as? ClientError { current = wrapped.underlyingError }
        return current
    }
}
