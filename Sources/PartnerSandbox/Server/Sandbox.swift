import Foundation
import Hummingbird
import HubAPI
import Logging
import MessagingAPI
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime

/// The emulator of the Partner and Messaging APIs: both path families on one port.
public enum Sandbox {
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts a sandbox, runs `body` while it serves, then stops it.
    public static func withRunning<T: Sendable>(
        _ configuration: SandboxConfiguration,
        logger: Logger = Logger(label: "wabaform.sandbox", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: @Sendable (RunningSandbox) async throws -> T
    ) async throws -> T {
        let parts = try await assemble(configuration, logger: logger)
        defer { parts.store.releaseLock() }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: parts.responder,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wabaform-sandbox"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? configuration.port)
                continuation.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await app.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw StartFailure(description: "the sandbox stopped before it started serving")
            }
            let running = parts.running(port: port)
            do {
                let result = try await body(running)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Serves until SIGINT or SIGTERM; `onReady` runs once it is listening.
    public static func run(
        _ configuration: SandboxConfiguration, logger: Logger = Logger(label: "wabaform.sandbox"),
        onReady: @escaping @Sendable (RunningSandbox) async -> Void
    ) async throws {
        let parts = try await assemble(configuration, logger: logger)
        defer { parts.store.releaseLock() }
        let app = Application(
            responder: parts.responder,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wabaform-sandbox"),
            onServerRunning: { channel in
                await onReady(parts.running(port: channel.localAddress?.port ?? configuration.port))
            },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    struct Parts: Sendable {
        var responder: RouterResponder<SandboxContext>
        var store: SandboxStore
        var stats: SandboxStats
        var host: String
        var partnerID: String
        var partnerKey: String
        var keysFilePath: String?

        func running(port: Int) -> RunningSandbox {
            RunningSandbox(
                host: host, port: port, partnerID: partnerID, partnerKey: partnerKey, keysFilePath: keysFilePath,
                store: store, stats: stats)
        }
    }

    static func assemble(_ configuration: SandboxConfiguration, logger: Logger) async throws -> Parts {
        if let problem = configuration.faults.problem { throw StartFailure(description: problem) }
        let seed = configuration.seed
        let fleet = configuration.fleet
        let store = try SandboxStore(path: configuration.statePath) {
            try (seed ?? SandboxSeed.demo()).makeState(fleet: fleet)
        }
        let state = await store.state
        let keysFile = configuration.resolvedKeysFilePath
        if let keysFile { try await KeysFile.write(store: store, to: keysFile) }
        let tokens = TokenBook(lifetime: configuration.tokenLifetime, salt: UUID().uuidString)
        let stats = SandboxStats()
        let router = Router(context: SandboxContext.self)
        router.add(
            middleware: SandboxHTTPMiddleware(
                faults: FaultInjector(settings: configuration.faults), stats: stats, variants: configuration.variants))
        // The variants' shapes, outermost of the OpenAPI layers (so they see every answer).
        let shapes: [any ServerMiddleware] =
            configuration.variants.isEmpty ? [] : [SandboxVariantMiddleware(variants: configuration.variants, store: store)]
        router.get("/_sandbox/stats") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: stats.json())))
        }
        router.delete("/_sandbox/stats") { _, _ in
            stats.reset()
            return Response(status: .noContent)
        }
        let pages: [any ServerMiddleware] =
            configuration.channelPagesByHand
            ? [ChannelPageMiddleware(store: store, storageField: !configuration.variants.contains(.noStorageField))] : []
        try HubHandlers(store: store, tokens: tokens, keysFilePath: keysFile, stats: stats, variants: configuration.variants)
            .registerHandlers(
                on: router, serverURL: URL(string: RouteTable.partnerPrefix)!,
                middlewares: shapes + [
                    EnvelopeErrorMiddleware(),
                    SandboxAuthMiddleware(family: .partner, store: store, tokens: tokens, failChannels: configuration.faults.failChannels),
                ] + pages)
        let webhooks: [any ServerMiddleware] = configuration.channelPagesByHand ? [WebhookAnswerMiddleware(store: store)] : []
        try MessagingHandlers(store: store, wabaWebhookDelay: configuration.wabaWebhookDelay).registerHandlers(
            on: router, serverURL: URL(string: "/")!,
            middlewares: shapes + [
                EnvelopeErrorMiddleware(),
                SandboxAuthMiddleware(family: .messaging, store: store, tokens: tokens, failChannels: configuration.faults.failChannels),
            ] + webhooks)
        return Parts(
            responder: router.buildResponder(), store: store, stats: stats, host: configuration.host, partnerID: state.partner.id,
            partnerKey: state.partner.apiKey, keysFilePath: keysFile)
    }
}
