import PartnerAPIRules
import Testing
import WabaformConfig
@testable import WabaformCore

/// `SelectorIndex` finds, for each channel and WABA, exactly the rules that trying every rule
/// finds, in the same order: the planner's precedence and conflict messages depend on both.
@Suite struct SelectorIndexTests {
    typealias F = PlannerFixtures

    static let yaml =
        F.header + """
              - select: all
                local_storage: off
              - select: { status: ready }
                webhook: { url: "https://ready.example.com/{channel_id}" }
              - id: c02CH
                webhook: { url: "https://two.example.com/" }
              - phone_number: "+49 (151) 1000-0003"
                webhook: { url: "https://three.example.com/" }
              - select: { client.name: "Acme*" }
                local_storage: DE
              - id: c02CH
                local_storage: GB
              - id: c05CH
                webhook: unmanaged
              - phone_number: "4915110000005"
                local_storage: unmanaged
              - id: nosuchCH
                webhook: { url: "https://nowhere.example.com/" }
              - phone_number: "+1 555 0100"
                local_storage: off
            wabas:
              - select: all
                webhook: { url: "https://all.example.com/waba" }
              - id: w1WA
                webhook: { url: "https://one.example.com/waba" }
              - id: ext2
                webhook: { url: "https://two.example.com/waba" }
              - select: { name: "Acme*" }
                webhook: { url: "https://acme.example.com/waba" }
              - id: same3
                webhook: { url: "https://three.example.com/waba" }
            """

    /// Channels with and without numbers (as the API writes them, with `+` and spaces or
    /// none), fields that do and do not match, ids that several rules name.
    static let channels: [LiveChannel] = (1...8).map { n in
        let phone: String? =
            switch n {
            case 3: "+49 151 1000 0003"
            case 6: nil
            case 7: ""
            default: "491511000000\(n)"
            }
        return LiveChannel(
            id: "c0\(n)CH", clientID: "cl\(n)", status: n.isMultiple(of: 2) ? "ready" : "pending", phoneNumber: phone,
            clientName: n < 4 ? "Acme \(n)" : nil, wabaID: "w\(n)WA", localStorage: .known(nil))
    }

    static let wabas: [LiveWABA] = [
        LiveWABA(id: "w1WA", externalID: "ext1", name: "Acme One", channelIDs: ["c01CH"]),
        LiveWABA(id: "w2WA", externalID: "ext2", name: "Globex", channelIDs: ["c02CH"]),
        // Its id and external id are the same: the rule naming it is found once.
        LiveWABA(id: "same3", externalID: "same3", name: nil, channelIDs: ["c03CH"]),
        LiveWABA(id: "w4WA", externalID: nil, name: "Acme Four", channelIDs: ["c04CH"]),
    ]

    @Test("each channel and WABA gets the rules, in config order, that trying every rule gives")
    func sameAsTryingEveryRule() throws {
        let config = try F.config(Self.yaml)
        let index = SelectorIndex(config.channelRules)
        var selectedSomewhere = 0
        for channel in Self.channels {
            let expected = config.channelRules.filter { Planner.matches($0.selector, channel) }.map(\.index)
            #expect(index.selecting(channel).map(\.index) == expected, "\(channel.id)")
            selectedSomewhere += expected.count
        }
        // The fixture is not trivial: every kind of rule selects something, and one id is named twice.
        #expect(selectedSomewhere == 8 + 4 + 2 + 1 + 3 + 1 + 1)
        #expect(index.selecting(Self.channels[1]).map(\.index) == [0, 1, 2, 4, 5])

        let wabaIndex = SelectorIndex(config.wabaRules)
        for waba in Self.wabas {
            let expected = config.wabaRules.filter { Planner.matches($0.selector, waba) }.map(\.index)
            #expect(wabaIndex.selecting(waba).map(\.index) == expected, "\(waba.id)")
        }
        #expect(wabaIndex.selecting(Self.wabas[2]).map(\.index) == [0, 4])
        #expect(wabaIndex.selecting(Self.wabas[1]).map(\.index) == [0, 2])
    }

    @Test("a channel without a number is found by no phone_number rule, whatever the rules")
    func noNumber() throws {
        let config = try F.config(F.header + "  - phone_number: \"+1 555 0100\"\n    local_storage: off\n")
        let index = SelectorIndex(config.channelRules)
        for channel in Self.channels { #expect(index.selecting(channel).isEmpty) }
    }
}
