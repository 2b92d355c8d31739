import PartnerAPIRules
import Testing
@testable import WabaformCore

/// `render(_:to:)` writes what `render(_:)` returns, in chunks that each end after a line
/// break the renderer wrote, so the CLI can redact and write each chunk as it comes.
@Suite struct ChunkedOutputTests {
    /// A plan of `count` webhook changes and as many unknowns, some URLs carrying `token`.
    static func fleetPlan(_ count: Int, token: String = "tok-7f3a9c-d41e55") -> Plan {
        let changes = (0..<count).map { index in
            Change(
                resource: SamplePlans.channel("fleet\(index)CH"), attribute: .channelWebhook, action: .update,
                before: .webhook(url: "https://old.example.com/\(index)?k=\(index % 7 == 0 ? token : "x")", headers: []),
                after: .webhook(url: "https://new.example.com/\(index)", headers: []))
        }
        let unknowns = (0..<count).map { index in
            Unknown(
                address: "channel.dark\(index)CH.webhook", resource: SamplePlans.channel("dark\(index)CH"),
                reason: "no channel key for \(token)")
        }
        return Plan(partnerID: "demoPA", changes: changes, unknowns: unknowns, unchangedCount: 3, warnings: ["w1", "w2"])
    }

    static func chunks(chunkSize: Int, _ render: (ChunkedOutput) -> Void) -> [String] {
        var chunks: [String] = []
        render(ChunkedOutput(chunkSize: chunkSize, emit: { chunks.append($0) }))
        return chunks
    }

    static let plans = [SamplePlans.everything, SamplePlans.empty, HostileTextTests.hostilePlan, fleetPlan(2_000)]

    @Test("streamed text and JSON are exactly the whole rendering, in chunks ending at line breaks")
    func streamedIsWhole() {
        for plan in Self.plans {
            for chunkSize in [1, 100, ChunkedOutput.defaultChunkSize] {
                let renderings: [(whole: String, chunks: [String])] = [
                    (JSONPlanRenderer().render(plan), Self.chunks(chunkSize: chunkSize) { JSONPlanRenderer().render(plan, to: $0) }),
                    (
                        TextPlanRenderer(color: false).render(plan),
                        Self.chunks(chunkSize: chunkSize) { TextPlanRenderer(color: false).render(plan, to: $0) }
                    ),
                    (
                        TextPlanRenderer(color: true, purpose: .drift).render(plan),
                        Self.chunks(chunkSize: chunkSize) { TextPlanRenderer(color: true, purpose: .drift).render(plan, to: $0) }
                    ),
                ]
                for (whole, chunks) in renderings {
                    #expect(chunks.joined() == whole)
                    #expect(chunks.dropLast().allSatisfy { $0.hasSuffix("\n") && $0.utf8.count >= chunkSize })
                    #expect(!chunks.contains(""))
                }
            }
        }
    }

    @Test("a large plan goes out in many chunks of about the chunk size, none of them the whole")
    func largePlanIsChunked() {
        let plan = Self.fleetPlan(20_000)
        for chunks in [
            Self.chunks(chunkSize: ChunkedOutput.defaultChunkSize) { JSONPlanRenderer().render(plan, to: $0) },
            Self.chunks(chunkSize: ChunkedOutput.defaultChunkSize) { TextPlanRenderer().render(plan, to: $0) },
        ] {
            let total = chunks.reduce(0) { $0 + $1.utf8.count }
            #expect(chunks.count >= total / (2 * ChunkedOutput.defaultChunkSize), "\(chunks.count) chunks of \(total) bytes")
            #expect(chunks.allSatisfy { $0.utf8.count < ChunkedOutput.defaultChunkSize + 4_096 })
        }
    }

    @Test("redacting chunk by chunk cuts exactly what redacting the whole output cuts")
    func redactedPerChunk() {
        let redactor = SecretRedactor()
        let token = "tok-7f3a9c-d41e55"
        redactor.register(token)
        let plan = Self.fleetPlan(3_000, token: token)
        for chunkSize in [1, 4_096, ChunkedOutput.defaultChunkSize] {
            for render in [
                { (output: ChunkedOutput) in JSONPlanRenderer().render(plan, to: output) },
                { (output: ChunkedOutput) in TextPlanRenderer().render(plan, to: output) },
            ] {
                let chunks = Self.chunks(chunkSize: chunkSize, render)
                let whole = redactor.redact(chunks.joined())
                #expect(!whole.contains(token) && whole.contains(SecretRedactor.placeholder), "the check must be able to fail")
                #expect(chunks.map(redactor.redact).joined() == whole)
            }
        }
    }
}
