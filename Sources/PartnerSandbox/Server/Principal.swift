/// Who a request is authenticated as; set by `SandboxAuthMiddleware` for the handlers.
enum Principal: Sendable, Equatable {
    case anonymous
    case partner(id: String)
    case channel(id: String)

    @TaskLocal static var current: Principal = .anonymous
}
