import Foundation
import PartnerSandbox
import Testing
@testable import WabaformCore

/// Services report typed outcomes: the case says whose problem it is, the description is the
/// line the command prints after `error: `.
@Suite("Service errors")
struct ServiceErrorTests {
    @Test("thrown errors map to their case; the refused-credential hints are in the message")
    func mapping() {
        let refused = APIError(operation: "GET partner p1", status: 401, developerMessage: "Invalid API key", traceID: nil)
        #expect(ServiceError(refused) == .api(refused))
        #expect(
            ServiceError(refused).description
                == "GET partner p1 failed: 401 Invalid API key; check the partner key in WABAFORM_API_KEY (or WABAFORM_USERNAME and WABAFORM_PASSWORD)"
        )
        let forbidden = APIError(operation: "GET partner p1", status: 403, developerMessage: nil, traceID: nil)
        #expect(ServiceError(forbidden).description.hasSuffix("check partner.id (or WABAFORM_PARTNER_ID)"))
        let missing = APIError(operation: "GET partner p1", status: 404, developerMessage: nil, traceID: nil)
        #expect(ServiceError(missing).description == missing.description)
        #expect(ServiceError(CancellationError()) == .cancelled)
        #expect(ServiceError(ServiceError.usage("x")) == .usage("x"))
        #expect(ServiceError(ConnectionSettings.Invalid(description: "no credentials")) == .usage("no credentials"))
        #expect(ServiceError(ChannelListError(description: "the list changed")).isUserError == false)
        #expect(ServiceError.strict("w").description == "w (an error with --strict)")
        #expect(ServiceError.strict("w").isUserError && ServiceError.usage("u").isUserError)
        #expect(!ServiceError.bug("b").isUserError && !ServiceError.cancelled.isUserError && !ServiceError.api(refused).isUserError)
    }

    @Test("a plan with a refused partner key is an API error, and with no partner id a usage error")
    func planOutcomes() async throws {
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            var request = await ServiceHarness.request(sandbox)
            request.connection.environment["WABAFORM_API_KEY"] = "not-the-key"
            let refused = await PlanService.run(request)
            guard case .api(let error) = try #require(refused.errors.first) else {
                Issue.record("expected an API error, got \(refused.errors)")
                return
            }
            #expect(error.status == 401)
            #expect(refused.errors.allSatisfy { !$0.isUserError })

            let config = try ServiceHarness.configFile(
                "version: 1\nchannels:\n  - select: all\n    webhook: { url: \"https://hooks.example.com/wa/{channel_id}\" }\n")
            var anonymous = await ServiceHarness.request(sandbox, paths: [config])
            anonymous.connection.environment["WABAFORM_PARTNER_ID"] = nil
            let unnamed = await PlanService.run(anonymous)
            #expect(unnamed.errors.count == 1, "\(unnamed.errors) \(unnamed.diagnostics)")
            #expect(unnamed.errors.first?.isUserError == true)
            #expect(unnamed.errors.first?.description.hasPrefix("no partner id") == true)
            #expect(ServiceHarness.writes(sandbox) == 0)
        }
    }
}

/// Throttling is reported apart from failures: how many answers said "later".
@Suite("Throttled answers reported")
struct ThrottleReportTests {
    @Test("plan, apply and export count every 429 the sandbox sent; a run without throttling counts none")
    func counted() async throws {
        var faults = FaultSettings.none
        faults.throttleRate = 0.2
        faults.retryAfterSeconds = 0
        faults.seed = 7
        try await Sandbox.withRunning(SandboxConfiguration(faults: faults)) { sandbox in
            let request = await ServiceHarness.request(sandbox, retryPolicy: ServiceHarness.quickRetries)
            func refused() -> Int { sandbox.stats.snapshot().filter { $0.key.status == 429 }.reduce(0) { $0 + $1.count } }

            let plan = await PlanService.run(request)
            #expect(!plan.failed, "\(plan.errors)")
            #expect(plan.throttled > 0 && plan.throttled == refused(), "\(plan.throttled) vs \(refused())")

            sandbox.stats.reset()
            let applied = await ServiceHarness.applyApproved(request)
            #expect(applied.plan.throttled > 0 && applied.plan.throttled == refused(), "\(applied.plan.throttled) vs \(refused())")

            sandbox.stats.reset()
            let export = await ExportService.run(request)
            #expect(export.throttled == refused(), "\(export.throttled) vs \(refused())")
        }
        try await Sandbox.withRunning(SandboxConfiguration()) { sandbox in
            #expect(await PlanService.run(await ServiceHarness.request(sandbox)).throttled == 0)
        }
    }
}
