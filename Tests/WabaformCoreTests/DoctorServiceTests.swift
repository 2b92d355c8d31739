import Foundation
import PartnerSandbox
import Testing
import WabaformTestSupport
@testable import WabaformCore

/// `wabaform doctor` against the real sandbox over HTTP: verdicts, exit codes, and that it
/// never writes and never shows a secret.
@Suite struct DoctorServiceTests {
    /// A sandbox with a state file, so it publishes a keys file as `wabaform sandbox` does.
    static func configuration(
        variants: Set<SandboxVariant> = [], fleet: Int = 0, faults: FaultSettings = .none
    ) -> SandboxConfiguration {
        let directory = Scratch.path("doctor")
        return SandboxConfiguration(statePath: directory + "/sandbox.json", fleet: fleet, faults: faults, variants: variants)
    }

    static func environment(_ sandbox: RunningSandbox) -> [String: String] {
        var environment = [
            "WABAFORM_API_URL": sandbox.apiURL, "WABAFORM_MESSAGING_URL": sandbox.messagingURL,
            "WABAFORM_API_KEY": sandbox.partnerKey, "WABAFORM_PARTNER_ID": sandbox.partnerID,
        ]
        environment["WABAFORM_CHANNEL_KEYS_FILE"] = sandbox.keysFilePath
        return environment
    }

    static func run(
        _ environment: [String: String], sample: Int = DoctorService.defaultSample, timeout: Duration = .seconds(10)
    ) async -> DoctorReport {
        await DoctorService.run(
            DoctorService.Request(
                paths: [], workingDirectory: FileManager.default.temporaryDirectory.path,
                connection: Self.connection(timeout: timeout, environment: environment), sample: sample))
    }

    static func connection(timeout: Duration, environment: [String: String]) -> ConnectionSettings {
        var settings = ConnectionSettings(environment: environment)
        settings.timeout = timeout
        return settings
    }

    /// Every request the sandbox saw that is not a GET, as "METHOD route".
    static func writes(_ sandbox: RunningSandbox) -> [String] {
        sandbox.stats.snapshot().filter { $0.key.method != "GET" }.map { "\($0.key.method) \($0.key.route)" }
    }

    /// Every secret the sandbox holds: partner key, password, channel keys, header values.
    static func secrets(_ sandbox: RunningSandbox) async -> [String] {
        let state = await sandbox.store.state
        var secrets = [state.partner.apiKey, state.partner.password]
        for channel in state.channels.values {
            secrets.append(channel.apiKey)
            secrets += channel.webhook?.headers?.values.map { $0 } ?? []
        }
        return secrets.filter { !$0.isEmpty }
    }

    /// The check named `name`; a missing one is an issue, and a stand-in that matches nothing.
    static func check(_ report: DoctorReport, _ name: String) -> DoctorCheck {
        if let check = report.checks.first(where: { $0.name == name }) { return check }
        Issue.record("the doctor reported no check named \(name)")
        return DoctorCheck(name: "missing \(name)", title: "", status: .couldNotCheck, evidence: [], consequence: "")
    }

    static func expectNoSecret(_ report: DoctorReport, in sandbox: RunningSandbox, extra: [String] = []) async {
        let output = report.renderText() + report.renderJSON()
        for secret in await secrets(sandbox) + extra {
            #expect(!output.contains(secret), "the doctor's output shows a secret")
        }
    }

    @Test func everythingHoldsOnTheDemoSandbox() async throws {
        try await Sandbox.withRunning(Self.configuration()) { sandbox in
            let report = await Self.run(Self.environment(sandbox))
            #expect(report.status == .success, "\(report.renderText())")
            for name in [
                "credentials", "partner-id", "channel-list", "channel-keys", "channel-page-size", "channel-page-order",
                "channel-storage-field", "webhook-unset", "channel-key-rejected", "rate-limit",
            ] {
                #expect(Self.check(report, name).status == .held, "\(name): \(report.renderText())")
            }
            #expect(report.checks.allSatisfy { $0.status != .didNotHold && !$0.stopsDoctor })
            // Bounded: the partner, two channel pages, five sampled webhooks and the invalid-key read.
            #expect(report.requestsByMethod == ["GET": 9])
            #expect(Self.check(report, "channel-keys").evidence.contains("no key for: acme04CH"))
            #expect(Self.writes(sandbox).isEmpty)
            await Self.expectNoSecret(report, in: sandbox)
        }
    }

    @Test func aMissingStorageFieldDidNotHoldAndSaysWhatWabaformDoes() async throws {
        try await Sandbox.withRunning(Self.configuration(variants: [.noStorageField])) { sandbox in
            let report = await Self.run(Self.environment(sandbox))
            #expect(report.status == .differs)
            let check = Self.check(report, "channel-storage-field")
            #expect(check.status == .didNotHold)
            #expect(check.evidence.first == "0 of 12 channel(s) carry data_localization_region")
            #expect(
                check.consequence
                    == "channels carry no local storage field: local_storage rules will show as unknown for them and are never changed")
            #expect(report.checks.filter { $0.status == .didNotHold }.map(\.name) == ["channel-storage-field"])
            #expect(report.renderText().contains("channel-storage-field: did not hold"))
            #expect(Self.writes(sandbox).isEmpty)
            // The store still has the regions: only the channel objects leave them out.
            #expect(await sandbox.store.state.channels["acme01CH"]?.localStorage == "DE")
        }
    }

    @Test func aWrongPartnerKeyCouldNotCheck() async throws {
        try await Sandbox.withRunning(Self.configuration()) { sandbox in
            let report = await Self.run(Self.environment(sandbox).merging(["WABAFORM_API_KEY": "sbx_pk_not_the_key"]) { $1 })
            #expect(report.status == .failure)
            let credentials = Self.check(report, "credentials")
            #expect(credentials.status == .didNotHold && credentials.stopsDoctor)
            #expect(credentials.evidence.first?.contains("401") == true)
            #expect(report.renderText().contains("The doctor could not check your account"))
            #expect(Self.writes(sandbox).isEmpty)
            await Self.expectNoSecret(report, in: sandbox, extra: ["sbx_pk_not_the_key"])
        }
    }

    @Test func anUnknownPartnerIsNamed() async throws {
        try await Sandbox.withRunning(Self.configuration()) { sandbox in
            let report = await Self.run(Self.environment(sandbox).merging(["WABAFORM_PARTNER_ID": "otherPA"]) { $1 })
            #expect(report.status == .failure)
            #expect(Self.check(report, "credentials").status == .held)
            let partner = Self.check(report, "partner-id")
            #expect(partner.status == .didNotHold && partner.stopsDoctor)
            #expect(Self.check(report, "channel-list").status == .couldNotCheck)
            #expect(Self.writes(sandbox).isEmpty)
        }
    }

    @Test func bearerSignInIsTheOnlyPost() async throws {
        try await Sandbox.withRunning(Self.configuration()) { sandbox in
            let partner = await sandbox.store.state.partner
            var environment = Self.environment(sandbox)
            environment["WABAFORM_API_KEY"] = nil
            environment["WABAFORM_USERNAME"] = partner.username
            environment["WABAFORM_PASSWORD"] = partner.password
            let report = await Self.run(environment)
            #expect(report.status == .success, "\(report.renderText())")
            #expect(Self.check(report, "token-renewal").status == .held)
            #expect(Self.writes(sandbox) == ["POST /api/v2/token"])
            #expect(report.warnings.contains { $0.contains("deprecated") })
            await Self.expectNoSecret(report, in: sandbox)
        }
    }

    @Test func anUnreachableAPICouldNotCheck() async throws {
        // A port nothing listens on: the sandbox's own, after it stopped.
        let port = try await Sandbox.withRunning(SandboxConfiguration()) { $0.port }
        let report = await Self.run(
            [
                "WABAFORM_API_URL": "http://127.0.0.1:\(port)/api/v2", "WABAFORM_MESSAGING_URL": "http://127.0.0.1:\(port)",
                "WABAFORM_API_KEY": "k", "WABAFORM_PARTNER_ID": "demoPA",
            ], timeout: .seconds(1))
        #expect(report.status == .failure)
        let credentials = Self.check(report, "credentials")
        #expect(credentials.status == .couldNotCheck && credentials.stopsDoctor)
        #expect(credentials.consequence.contains("cannot reach the Partner API"))
    }

    @Test func twoPagesAreReadWhenTheFleetIsLargerThanAPage() async throws {
        try await Sandbox.withRunning(Self.configuration(fleet: 1_000)) { sandbox in
            let report = await Self.run(Self.environment(sandbox), sample: 2)
            #expect(report.status == .success, "\(report.renderText())")
            let order = Self.check(report, "channel-page-order")
            #expect(order.status == .held)
            #expect(order.evidence.contains("page 2 (offset 1000, limit 1000): 12 channel(s), total 1012"))
            #expect(Self.check(report, "channel-list").evidence.first == "total 1012 channel(s); 1012 read by the doctor")
            #expect(report.requestsByMethod == ["GET": 6])
        }
    }

    @Test func throttlingIsReported() async throws {
        let faults = FaultSettings(throttleRate: 0.4, retryAfterSeconds: 0, seed: 7)
        try await Sandbox.withRunning(Self.configuration(faults: faults)) { sandbox in
            let report = await Self.run(Self.environment(sandbox))
            #expect(report.status == .differs, "\(report.renderText())")
            #expect(Self.check(report, "retry-after").status == .held)
            #expect(Self.check(report, "rate-limit").status == .didNotHold)
            let throttled = report.hosts.map(\.throttled).reduce(0, +)
            #expect(throttled > 0 && throttled == report.hosts.map(\.retryAfterSent).reduce(0, +))
            #expect(Self.writes(sandbox).isEmpty)
        }
    }

    @Test func textFromTheAPIIsEscaped() async throws {
        try await Sandbox.withRunning(Self.configuration()) { sandbox in
            _ = try await sandbox.store.updatePartner { $0.brandName = "Evil\u{1B}[2J\u{202E}Co\u{200B}" }
            let report = await Self.run(Self.environment(sandbox))
            let text = report.renderText(), json = report.renderJSON()
            #expect(text.contains("(Evil\\u{1B}[2J\\u{202E}Co\\u{200B})"))
            for output in [text, json] {
                #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" || $0 == "\u{200B}" })
            }
        }
    }

    @Test func jsonIsOneObjectWithEveryCheck() async throws {
        try await Sandbox.withRunning(Self.configuration()) { sandbox in
            let report = await Self.run(Self.environment(sandbox))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(report.renderJSON().utf8)) as? [String: Any])
            #expect(object["exit_code"] as? Int == 0)
            let checks = try #require(object["checks"] as? [[String: Any]])
            #expect(checks.map { $0["name"] as? String } == report.checks.map(\.name))
            #expect(Set(checks.compactMap { $0["status"] as? String }).isSubset(of: ["held", "did_not_hold", "could_not_check"]))
            #expect((object["summary"] as? [String: Int])?.values.reduce(0, +) == report.checks.count)
        }
    }

    /// docs/api-assumptions.md names, for each assumption, the doctor check that tests it, and
    /// each named check exists and tests an `APIAssumptions` member.
    @Test func everyDocumentedAssumptionHasADoctorCheck() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = try String(contentsOf: root.appendingPathComponent("docs/api-assumptions.md"), encoding: .utf8)
        let bullets = page.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(!bullets.isEmpty)
        let report = try await Sandbox.withRunning(Self.configuration()) { await Self.run(Self.environment($0)) }
        let assumptionChecks = Set(report.checks.filter { $0.assumption != nil }.map(\.name))
        var named: Set<String> = []
        for bullet in bullets {
            let match = bullet.firstMatch(of: /Doctor check: `([a-z0-9-]+)`/)
            #expect(
                match != nil,
                "docs/api-assumptions.md: name the doctor check that tests this assumption (add one to DoctorAssessment if none does): \(bullet)"
            )
            guard let name = match.map({ String($0.output.1) }) else { continue }
            #expect(assumptionChecks.contains(name), "docs/api-assumptions.md names `\(name)`, which the doctor does not report")
            named.insert(name)
        }
        #expect(
            named == assumptionChecks, "doctor checks missing from docs/api-assumptions.md: \(assumptionChecks.subtracting(named).sorted())"
        )
    }
}
