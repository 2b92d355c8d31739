import Testing
import WabaformConfig
@testable import WabaformCore

/// `select` values as lists (any of) and quoted `!` values (not), decoded from YAML and
/// matched against live channels by the planner: which channels a rule selects.
@Suite struct SelectorMatchingTests {
    typealias F = PlannerFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var select: String
        var selected: [String]
        var testDescription: String { select }
    }

    /// Five channels: two Acme, one Globex, one Initech, one with no client name.
    static let fleet: [F.TestChannel] = [
        F.channel("a1CH", clientName: "Acme GmbH", status: "ready"),
        F.channel("a2CH", clientName: "Acme Inc", status: "pending"),
        F.channel("g1CH", clientName: "Globex Ltd", status: "draft"),
        F.channel("i1CH", clientName: "Initech", status: "ready"),
        F.TestChannel(channel: LiveChannel(id: "n1CH", status: "live", localStorage: .known(nil)), webhook: .known(nil)),
    ]

    static let cases: [Case] = [
        Case(select: #"{ status: ready }"#, selected: ["a1CH", "i1CH"]),
        Case(select: #"{ status: [ready, pending] }"#, selected: ["a1CH", "a2CH", "i1CH"]),
        Case(select: #"{ status: "!pending" }"#, selected: ["a1CH", "g1CH", "i1CH", "n1CH"]),
        Case(select: #"{ status: '!pending' }"#, selected: ["a1CH", "g1CH", "i1CH", "n1CH"]),
        Case(select: #"{ status: ["!pending", "!draft"] }"#, selected: ["a1CH", "i1CH", "n1CH"]),
        Case(select: #"{ status: ["!p*"] }"#, selected: ["a1CH", "g1CH", "i1CH", "n1CH"]),
        Case(select: #"{ client.name: ["Acme*", "Globex*"] }"#, selected: ["a1CH", "a2CH", "g1CH"]),
        Case(select: #"{ client.name: ["Acme*", "Globex*"], status: "!pending" }"#, selected: ["a1CH", "g1CH"]),
        Case(select: #"{ client.name: ["*", "!Acme Inc"] }"#, selected: ["a1CH", "g1CH", "i1CH"]),
        // A channel without the field is selected by no value of it, negated or not.
        Case(select: #"{ client.name: "!Acme*" }"#, selected: ["g1CH", "i1CH"]),
        Case(select: #"{ client.name: [Initech] }"#, selected: ["i1CH"]),
        Case(select: #"{ status: ["!*"] }"#, selected: []),
    ]

    @Test(arguments: cases)
    func selects(_ test: Case) throws {
        let rules = "  - select: \(test.select)\n    local_storage: DE\n"
        let outcome = try F.plan(F.header + rules, F.live(Self.fleet))
        let plan = try #require(outcome.plan, "\(outcome.diagnostics)")
        #expect(plan.changes.map(\.resource.address).sorted() == test.selected.map { "channel.\($0)" })
    }

    @Test("a list or ! value that matches nothing is the usual warning, with the values as written")
    func noMatchWarning() throws {
        let outcome = try F.plan(
            F.header + "  - select: { status: [\"!ready\", \"!pending\", \"!draft\", \"!live\"] }\n    local_storage: DE\n",
            F.live(Self.fleet))
        #expect(
            outcome.plan?.warnings == [
                #"wabaform.yaml:4:5: select: {status: ["!ready", "!pending", "!draft", "!live"]} matches no channel"#
            ])
    }
}
