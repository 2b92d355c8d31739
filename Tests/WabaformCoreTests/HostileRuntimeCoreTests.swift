import Crypto
import Foundation
import PartnerAPIRules
import PartnerSandbox
import Testing
import WabaformConfig
import WabaformTestSupport
@testable import WabaformCore

/// Issue 14 (runtime): the in-process half of the hostile-runtime regressions. The command
/// line half is `Tests/WabaformCLITests/HostileRuntimeTests.swift`.
@Suite("Hostile runtime: concurrent applies and local storage writes")
struct HostileRuntimeStorageTests {
    static let storageConfig = "version: 1\npartner: {id: demoPA}\nchannels:\n  - select: all\n    local_storage: GB\n"

    /// A plan made now, against the sandbox as it is.
    static func plan(_ client: PartnerAPIClient, keys: ChannelKeys) async throws -> Plan {
        let config = try PlannerFixtures.config(storageConfig)
        let live = try await LiveStateReader(client: client, keys: keys).read(webhooksOf: { _ in [] })
        return try #require(Planner.plan(config: config, partnerID: "demoPA", live: live.snapshot).plan)
    }

    @Test("a storage change another run already made is not sent again: the ledger says already done")
    func reReadBeforeEachStorageWrite() async throws {
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 12)) { sandbox in
            let configuration = try Harness.configuration(sandbox)
            let keys = await Harness.keys(sandbox)
            try await PartnerAPIClient.withClient(configuration) { client in
                let plan = try await Self.plan(client, keys: keys)
                let storage = plan.changes.filter { $0.attribute == .channelLocalStorage }
                #expect(storage.count >= 6)
                // Another run gets to half of them first (after this plan was made).
                var doneElsewhere: Set<String> = []
                for change in storage.prefix(storage.count / 2) {
                    guard case .channel(let channel) = change.resource else { continue }
                    _ = try await sandbox.store.updateChannel(id: channel.id) { $0.localStorage = "GB" }
                    doneElsewhere.insert(channel.id)
                }
                let ledger = await Applier(client: client, keys: keys, parallelism: 4).apply(plan)
                #expect(ledger.succeeded)
                for entry in ledger.entries where entry.address.hasSuffix(".local_storage") {
                    let id = String(entry.address.dropFirst("channel.".count).dropLast(".local_storage".count))
                    #expect((entry.reason == Applier.alreadyDone) == doneElsewhere.contains(id), "\(entry)")
                }
                let calls = sandbox.stats.localStorageCalls()
                #expect(doneElsewhere.allSatisfy { calls[$0] == nil }, "no call for a channel already at the target")
                #expect(calls.values.allSatisfy { $0.redundant == 0 })
                #expect(ledger.renderText().contains("already done"))
            }
        }
    }

    @Test("a local storage write answered 429 is read back before it is sent again, and never sent twice")
    func throttledStorageWriteIsReadBackFirst() async throws {
        let faults = FaultSettings(throttleRate: 0.4, retryAfterSeconds: 0, seed: 14)
        try await Sandbox.withRunning(SandboxConfiguration(fleet: 20, faults: faults)) { sandbox in
            let patient = RetryPolicy(maxAttempts: 25, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5), maxThrottledAttempts: 25)
            let configuration = try Harness.configuration(sandbox, retryPolicy: patient, clock: TestClock())
            let keys = await Harness.keys(sandbox)
            let before = await sandbox.store.state
            try await PartnerAPIClient.withClient(configuration) { client in
                let plan = try await Self.plan(client, keys: keys)
                sandbox.stats.reset()
                let ledger = await Applier(client: client, keys: keys, parallelism: 4).apply(plan)
                #expect(ledger.succeeded, "\(ledger.renderText())")
            }
            let after = await sandbox.store.state
            let storageRoutes = sandbox.stats.snapshot().filter { $0.key.route.hasSuffix("_local_storage") }
            let throttled = storageRoutes.filter { $0.key.status == 429 }.reduce(0) { $0 + $1.count }
            #expect(throttled > 0, "the sandbox should have throttled some storage writes")
            for (id, call) in sandbox.stats.localStorageCalls() {
                let old = before.channels[id]?.localStorage, new = after.channels[id]?.localStorage
                let needed = old == new ? 0 : (old == nil || new == nil ? 1 : 2)
                #expect(call.redundant == 0 && call.effective == needed, "\(id): \(call)")
            }
            // Every resend followed a read: at least one channel read per throttled write.
            #expect(Harness.count(sandbox, "GET", Harness.channelsRoute, status: 200) >= throttled)
        }
    }
}

@Suite("Hostile runtime: the per-partner apply lock")
struct HostileRuntimeLockTests {
    static func directory() throws -> String {
        try Scratch.directory("lock")
    }

    static let api = "https://hub.360dialog.io/api/v2"

    @Test("a second apply of the same partner waits, then gives up naming the holder; another partner, or the same at another API, is free")
    func secondHolderIsRefusedWithTheHolderNamed() async throws {
        let settings = ApplyLock.Settings(directory: try Self.directory(), wait: .milliseconds(400))
        let first = try await ApplyLock.acquire(partnerID: "demoPA", apiURL: Self.api, settings: settings, environment: [:])
        let start = ContinuousClock.now
        let error = await #expect(throws: ApplyLock.Unavailable.self) {
            _ = try await ApplyLock.acquire(partnerID: "demoPA", apiURL: Self.api, settings: settings, environment: [:])
        }
        #expect(ContinuousClock.now - start >= .milliseconds(400))
        #expect(error?.description.contains("another apply for partner demoPA is running (pid \(getpid()) on host ") == true)
        let other = try await ApplyLock.acquire(partnerID: "otherPA", apiURL: Self.api, settings: settings, environment: [:])
        other.release()
        // The same partner id at another API (a sandbox) is another partner: free too.
        let sandboxed = try await ApplyLock.acquire(
            partnerID: "demoPA", apiURL: "http://127.0.0.1:8360/api/v2", settings: settings, environment: [:])
        sandboxed.release()
        first.release()
        let again = try await ApplyLock.acquire(partnerID: "demoPA", apiURL: Self.api, settings: settings, environment: [:])
        again.release()
        var info = stat()
        #expect(stat(first.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("a lock file left by a dead process is taken over at once")
    func staleLockIsTakenOver() async throws {
        let directory = try Self.directory()
        let path = directory + "/" + ApplyLock.fileName(partnerID: "demoPA", apiURL: Self.api)
        try #"{"pid": 999999, "host": "gone", "since": "2020-01-01T00:00:00Z"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let start = ContinuousClock.now
        let lock = try await ApplyLock.acquire(
            partnerID: "demoPA", apiURL: Self.api, settings: ApplyLock.Settings(directory: directory, wait: .seconds(5)),
            environment: [:])
        #expect(ContinuousClock.now - start < .seconds(1))
        let holder = try String(contentsOfFile: path, encoding: .utf8)
        #expect(holder.contains("\"pid\":\(getpid())"))
        lock.release()
    }

    @Test("a holder's name with control characters is shown escaped")
    func holderTextIsEscaped() {
        #expect(ApplyLock.printable("host\u{1B}[2J\u{202E}x") == "host\\u{1b}[2J\\u{202e}x")
    }
}

@Suite("Hostile runtime: saved-plan digests are keyed")
struct HostileRuntimeDigestTests {
    @Test("with the plan file alone, the digest of the true secret cannot be confirmed")
    func planFileAloneCannotConfirmAGuess() throws {
        let secret = "Summer2024!"
        let webhook = PlanValue.webhook(url: "https://h.example.com/x", headers: [WebhookHeader(name: "X-Token", value: Secret(secret))])
        let credentials = PartnerCredentials.apiKey(Secret("sbx_pk_partner_key_value"))
        let digester = Digester.random(credentials: credentials)
        let saved = SavedPlan(
            plan: Plan(
                partnerID: "demoPA",
                changes: [
                    Change(resource: .partner(id: "demoPA"), attribute: .partnerWebhookURL, action: .update, before: .none, after: webhook)
                ]),
            digester: digester, configDigest: "x", configFiles: [], apiURL: "a", messagingURL: "m", wabaformVersion: "t")
        let file = String(decoding: try saved.encoded(), as: UTF8.self)
        #expect(file.contains("\"wabaform_saved_plan\" : \"2\""))
        #expect(!file.contains(secret))
        let stored = try #require(saved.changes.first?.desiredDigest)
        #expect(stored.hasPrefix("hmac-sha256:"))
        // What an attacker holding only the file can compute from the true secret:
        let canonical = Digester.canonical(webhook)
        let plain = "sha256:" + SHA256.hash(data: Data((saved.salt + "\n" + canonical).utf8)).map { String(format: "%02x", $0) }.joined()
        let unkeyedMAC = HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: SymmetricKey(data: Data(saved.salt.utf8)))
        #expect(stored != plain)
        #expect(stored != Digester(salt: saved.salt).digest(webhook))
        #expect(stored != "hmac-sha256:" + unkeyedMAC.map { String(format: "%02x", $0) }.joined())
        // With the partner credential (as apply has it), it matches; with another, it does not.
        #expect(Digester(salt: saved.salt, credentials: credentials).digest(webhook) == stored)
        #expect(Digester(salt: saved.salt, credentials: .apiKey(Secret("another key"))).digest(webhook) != stored)
        #expect(Digester(salt: saved.salt, credentials: .password(username: "u", password: Secret("p"))).digest(webhook) != stored)
    }

    @Test("a format 1 plan file is refused with a message saying why")
    func oldFormatIsRefused() throws {
        var saved = SavedPlan(
            plan: Plan(partnerID: "demoPA", changes: []), digester: Digester(salt: "s"), configDigest: "x", configFiles: [],
            apiURL: "a", messagingURL: "m", wabaformVersion: "t")
        #expect(SavedPlanCheck.formatRefusal(saved) == nil)
        saved.format = "1"
        let refusal = try #require(SavedPlanCheck.formatRefusal(saved))
        #expect(refusal.contains("format 1") && refusal.contains("make a new plan"))
    }
}

@Suite("Hostile runtime: bounds on what the API says")
struct HostileRuntimeBoundsCoreTests {
    @Test("an absurd Retry-After is clamped, never a crash", arguments: ["1e300", "9223372036854775807", "Fri, 31 Dec 9999 23:59:59 GMT"])
    func absurdRetryAfterIsClamped(value: String) throws {
        let wait = try #require(RetryAfter.parse(value))
        #expect(wait <= .seconds(31_536_000))
        #expect(wait > .seconds(120), "still longer than any wait wabaform takes: the request fails instead")
    }

    @Test("channel totals and field lengths beyond the bounds are named, not allocated")
    func channelBounds() {
        #expect(ResponseBounds.problem(total: 1_000_000_000_000, pageSize: 1000)?.contains("more than wabaform accepts") == true)
        #expect(ResponseBounds.problem(total: -1, pageSize: 1000)?.contains("negative") == true)
        #expect(ResponseBounds.problem(total: 900_000, pageSize: 1)?.contains("more than 20000 requests") == true)
        #expect(ResponseBounds.problem(total: 5_000, pageSize: 1000) == nil)
        let long = LiveChannel(id: String(repeating: "x", count: 300), clientID: "c", status: "ready")
        #expect(ResponseBounds.problem(channel: long)?.contains("channel id of 300 bytes") == true)
        let name = LiveChannel(id: "a", clientID: "c", status: "ready", clientName: String(repeating: "n", count: 5_000))
        #expect(ResponseBounds.problem(channel: name)?.contains("field client.name of 5000 bytes") == true)
        let secret = String(repeating: "s", count: 9_000)
        let problem = ResponseBounds.problem(webhook: LiveWebhook(url: "https://h.example.com", headers: ["X": Secret(secret)]))
        #expect(problem == "a webhook header value of 9000 bytes (at most 8192)")
        #expect(
            ResponseBounds.problem(webhook: LiveWebhook(url: "https://h.example.com/" + String(repeating: "p", count: 9_000)))?
                .contains("webhook URL of") == true)
        #expect(ResponseBounds.problem(webhook: LiveWebhook(url: "https://h.example.com", headers: ["X": Secret("v")])) == nil)
    }
}
