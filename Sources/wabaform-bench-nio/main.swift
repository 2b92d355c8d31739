// The benchmark's second reference (benchmarks/run.sh, docs/performance.md): the reads of
// benchmarks/baseline.py — the first channel page, the other pages and the partner, then each
// channel's webhook with its key — in the least a Swift client on SwiftNIO can do: keep-alive
// HTTP/1.1 connections, each sending its next request from the event loop as the last answer
// ends; no async/await, no retries, no pacing, no planning. What it costs is the floor of the
// tools wabaform is built on, so a target under it cannot be met by any client built on them.
//
//   wabaform-bench-nio PARALLELISM   # endpoints and credentials from WABAFORM_* (the sandbox's lines)
//
// Prints one line of JSON, as baseline.py does. Exits 1 if a request failed or a connection
// closed before its answer (it never retries, so run it where nothing is injected).
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

struct Request: Sendable {
    var path: String
    var headers: [(String, String)]
}

struct Failure: Error, CustomStringConvertible {
    var description: String
}

/// The requests still to send and the answers received, shared by every connection to a host.
final class Work: Sendable {
    private let state: NIOLockedValueBox<(pending: [Request], answers: [(status: Int, body: [UInt8])])>
    init(_ requests: [Request]) { state = NIOLockedValueBox((pending: requests.reversed(), answers: [])) }
    func next() -> Request? { state.withLockedValue { $0.pending.popLast() } }
    func record(status: Int, body: [UInt8]) { state.withLockedValue { $0.answers.append((status, body)) } }
    var answers: [(status: Int, body: [UInt8])] { state.withLockedValue { $0.answers } }
}

/// One connection: sends a request, reads its answer whole, sends the next; closes when none is left.
final class Connection: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    let host: String
    let work: Work
    let done: EventLoopPromise<Void>
    var status = 0
    var body: [UInt8] = []
    var waiting = false

    init(host: String, work: Work, done: EventLoopPromise<Void>) {
        self.host = host
        self.work = work
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) { sendNext(context) }

    func sendNext(_ context: ChannelHandlerContext) {
        guard let request = work.next() else {
            waiting = false
            done.succeed(())
            context.close(promise: nil)
            return
        }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: request.path)
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Accept", value: "application/json")
        for (name, value) in request.headers { head.headers.add(name: name, value: value) }
        waiting = true
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            body.removeAll(keepingCapacity: true)
        case .body(let chunk): body.append(contentsOf: chunk.readableBytesView)
        case .end:
            work.record(status: status, body: body)
            sendNext(context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if waiting { done.fail(Failure(description: "the connection closed before the answer")) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }
}

let group = MultiThreadedEventLoopGroup.singleton

/// Sends `requests` to `url`'s host over at most `width` connections; the answers, in the order they came.
func send(_ requests: [Request], to url: URL, width: Int) throws -> [(status: Int, body: [UInt8])] {
    guard let hostName = url.host, let port = url.port else { throw Failure(description: "no host and port in \(url)") }
    let work = Work(requests)
    let host = "\(hostName):\(port)"
    var connections: [EventLoopFuture<Void>] = []
    for _ in 0..<min(width, requests.count) {
        let loop = group.next()
        let done = loop.makePromise(of: Void.self)
        let connected = ClientBootstrap(group: loop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(Connection(host: host, work: work, done: done))
            }
        }.connect(host: hostName, port: port)
        connected.whenFailure { done.fail($0) }
        connections.append(done.futureResult)
    }
    for connection in connections { try connection.wait() }
    return work.answers
}

func object(_ body: [UInt8]) -> [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }

let environment = ProcessInfo.processInfo.environment
func setting(_ name: String) throws -> String {
    guard let value = environment[name] else { throw Failure(description: "\(name) is not set (run the sandbox's lines first)") }
    return value
}

do {
    let parallelism = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 32
    guard let api = URL(string: try setting("WABAFORM_API_URL")), let messaging = URL(string: try setting("WABAFORM_MESSAGING_URL"))
    else { throw Failure(description: "an API URL is not a URL") }
    let partner = api.path + "/partners/\(try setting("WABAFORM_PARTNER_ID"))"
    let partnerKey = [("X-API-Key", try setting("WABAFORM_API_KEY"))]
    let keysFile = URL(fileURLWithPath: try setting("WABAFORM_CHANNEL_KEYS_FILE"))
    let keys = (try JSONSerialization.jsonObject(with: Data(contentsOf: keysFile))) as? [String: String] ?? [:]
    func page(_ offset: Int) -> Request { Request(path: partner + "/channels?offset=\(offset)&limit=1000&sort=id", headers: partnerKey) }

    var statuses: [Int: Int] = [:]
    func count(_ answers: [(status: Int, body: [UInt8])]) -> [(status: Int, body: [UInt8])] {
        for answer in answers { statuses[answer.status, default: 0] += 1 }
        return answers
    }
    func channelIDs(_ body: [UInt8]) -> [String] {
        (object(body)?["partner_channels"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    guard let first = count(try send([page(0)], to: api, width: 1)).first, let firstPage = object(first.body),
        let total = firstPage["total"] as? Int
    else { throw Failure(description: "the first channel page could not be read") }
    let step = firstPage["limit"] as? Int ?? 1000
    var channels = channelIDs(first.body)
    let rest = [Request(path: partner, headers: partnerKey)] + stride(from: step, to: total, by: step).map(page)
    for answer in count(try send(rest, to: api, width: parallelism)) { channels += channelIDs(answer.body) }
    let reads = channels.compactMap { id in
        keys[id].map { Request(path: messaging.path + "/v1/configs/webhook", headers: [("D360-API-KEY", $0)]) }
    }
    var webhooks = 0
    for answer in count(try send(reads, to: messaging, width: parallelism)) where object(answer.body)?["url"] is String { webhooks += 1 }

    let failed = statuses.filter { $0.key != 200 && $0.key != 404 }.values.reduce(0, +)
    let byStatus = statuses.keys.sorted().map { "\"\($0)\": \(statuses[$0] ?? 0)" }.joined(separator: ", ")
    print(
        "{\"requests\": \(statuses.values.reduce(0, +)), \"statuses\": {\(byStatus)}, \"channels\": \(channels.count), \"webhooks\": \(reads.count), \"set\": \(webhooks)}"
    )
    exit(failed == 0 ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("wabaform-bench-nio: \(error)\n".utf8))
    exit(1)
}
