import Foundation
import Hummingbird
import PartnerSandbox
import Synchronization
import Testing

/// A listener on another host (127.0.0.2) that records every request and its headers, so a
/// test can prove credentials never travel there.
final class RequestRecorder: Sendable {
    struct Seen: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
    }

    let seen = Mutex<[Seen]>([])
    var requests: [Seen] { seen.withLock { $0 } }

    struct Recording: RouterMiddleware {
        typealias Context = BasicRequestContext
        let recorder: RequestRecorder
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            recorder.seen.withLock { $0.append(Seen(method: request.method.rawValue, path: request.uri.description, headers: headers)) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: "{}")))
        }
    }

    func withRunning<T: Sendable>(host: String, _ body: @Sendable (_ port: Int) async throws -> T) async throws -> T {
        let router = Router()
        router.add(middleware: Recording(recorder: self))
        return try await serve(router, host: host, body)
    }
}

/// An adversarial API (`FaultSettings.hostile`): every answer is broken in one way. wabaform
/// exits 1 with a clear error naming what it was doing: no crash, no hang, no stack trace, no
/// secret, and no credential sent to the host a redirect points at.
@Suite(.serialized) struct HostileAPITests {
    static let config = """
        version: 1
        partner: { id: demoPA, webhook_url: "https://hooks.example.com/hostile" }
        channels:
          - select: all
            webhook: { url: "https://hooks.example.com/wa/{channel_id}" }
        """

    /// What the error must say for each mode (beyond naming the operation).
    static func expectedWording(_ mode: HostileMode) -> [String] {
        switch mode {
        case .malformedJSON, .wrongTypes, .missingFields: ["unusable answer from 127.0.0.1"]
        case .hugeBody: ["unusable answer from 127.0.0.1", "larger than wabaform accepts"]
        case .errorEnvelopeWith200: ["Internal error (sandbox hostile mode)", "HTTP status 200"]
        case .redirectToOtherHost: ["redirected to 127.0.0.2"]
        case .neverFinish, .trickle: ["no answer from 127.0.0.1", "within \(timeout(mode)) s"]
        case .hugeTotal: ["list channels of partner demoPA failed", "more than wabaform accepts"]
        case .html: ["unusable answer from 127.0.0.1", "the API answered HTML (status 200), not JSON"]
        case .echoBody: []  // reads pass; HostileTextTests applies against it
        }
    }

    /// `--timeout`: 1 s where the answer never ends (each of the 5 attempts waits it out), 2 s
    /// elsewhere, so a slow machine still gets every broken answer whole.
    static func timeout(_ mode: HostileMode) -> Int {
        [.neverFinish, .trickle].contains(mode) ? 1 : 2
    }

    @Test(arguments: HostileMode.allCases.filter { $0 != .echoBody })
    func planReportsEachBrokenAnswerClearly(mode: HostileMode) async throws {
        let recorder = RequestRecorder()
        try await recorder.withRunning(host: "127.0.0.2") { otherPort in
            let faults = FaultSettings(hostile: mode, redirectPort: otherPort)
            try await Sandbox.withRunning(try sandboxConfiguration(faults: faults)) { sandbox in
                let directory = try CLI.temporaryDirectory()
                try Self.config.write(toFile: directory + "/wabaform.yaml", atomically: true, encoding: .utf8)
                let env = environment(for: sandbox)
                let state = await sandbox.store.state
                let secrets = [sandbox.partnerKey, state.partner.password] + state.channels.values.map(\.apiKey)
                let timeout = ["--timeout", "\(Self.timeout(mode))"]
                let variants = [["plan"] + timeout, ["plan"] + timeout + ["--format", "json", "-v"]]
                // Both at once: each waits out the same timeouts and retries.
                let runs = try await withThrowingTaskGroup(of: (Int, CLI.Result, Duration).self) { group in
                    for (index, variant) in variants.enumerated() {
                        group.addTask {
                            let start = ContinuousClock.now
                            let result = try await CLI.runAsync(variant, in: directory, environment: env)
                            return (index, result, ContinuousClock.now - start)
                        }
                    }
                    return try await group.reduce(into: [Int: (CLI.Result, Duration)]()) { $0[$1.0] = ($1.1, $1.2) }
                }
                for (index, variant) in variants.enumerated() {
                    let (result, elapsed) = try #require(runs[index])
                    let stderr = result.stderr
                    #expect(result.exitCode == 1, "\(mode) \(variant): exit \(result.exitCode)\n\(stderr)")
                    // Bounded: 1-2 s timeout, 5 attempts with backoff; far below a hang.
                    #expect(elapsed < .seconds(90), "\(mode): took \(elapsed)")
                    let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
                    #expect(!errors.isEmpty, "\(mode): an error line\n\(stderr)")
                    for wording in Self.expectedWording(mode) {
                        #expect(errors.contains { $0.contains(wording) }, "\(mode): says \"\(wording)\"\n\(stderr)")
                    }
                    // "<operation> failed: <what went wrong>"
                    #expect(errors.allSatisfy { $0.contains(" failed: ") }, "\(mode): names the operation\n\(stderr)")
                    if variant.count == 3 { print("wabaform-hostile: \(mode.rawValue): \(errors.joined(separator: " | "))") }
                    for crash in ["Fatal error", "Stack dump", "fatalError", "Swift runtime failure", "Illegal instruction"] {
                        #expect(!stderr.contains(crash), "\(mode): \(crash)\n\(stderr)")
                    }
                    for secret in secrets {
                        #expect(!stderr.contains(secret) && !result.stdout.contains(secret), "\(mode): a secret was printed")
                    }
                }
            }
            // No request at all should reach the other host; if one ever does, it must carry
            // no credential.
            for request in recorder.requests {
                for name in request.headers.keys {
                    #expect(!["x-api-key", "authorization", "d360-api-key"].contains(name.lowercased()), "\(name) sent to 127.0.0.2")
                }
            }
            #expect(recorder.requests.isEmpty, "redirects are not followed: \(recorder.requests.map(\.path))")
        }
    }
}
