import Foundation
import Hummingbird
import Synchronization

/// A local HTTP receiver for `drift --notify`: records every POST body; `/fail` answers 500.
final class NotificationReceiver: Sendable {
    let bodies = Mutex<[String]>([])

    var received: [String] { bodies.withLock { $0 } }

    func withRunning<T: Sendable>(_ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            self.bodies.withLock { $0.append(String(buffer: buffer)) }
            return .ok
        }
        router.post("/fail") { _, _ -> HTTPResponse.Status in .internalServerError }
        return try await serve(router, host: "127.0.0.1") { port in try await body("http://127.0.0.1:\(port)") }
    }
}

/// Serves `router` on `host` at a free port for as long as `body` runs; `body` gets the port.
func serve<T: Sendable>(
    _ router: Router<BasicRequestContext>, host: String, _ body: @Sendable (_ port: Int) async throws -> T
) async throws -> T {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router, configuration: .init(address: .hostname(host, port: 0)),
        onServerRunning: {
            continuation.yield($0.localAddress?.port ?? 0); continuation.finish()
        })
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        defer { group.cancelAll() }
        return try await body(port)
    }
}
