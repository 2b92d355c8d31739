import Hummingbird
import NIOCore

/// The request context: Hummingbird's, plus the connection, so a fault can drop it.
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
