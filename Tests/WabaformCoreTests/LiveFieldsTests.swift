import Foundation
import Testing

@testable import WabaformCore

/// `LiveFields`: a channel's fields kept compactly (values in one array, paths shared).
@Suite("Channel fields: compact, shared per page, read back exactly")
struct LiveFieldsTests {
    @Test("values read back exactly, in path order, whatever their text")
    func valuesReadBack() {
        let dictionary = [
            "id": "abcCH", "status": "", "client.name": "Ünïcødé GmbH 🏢", "setup_info.phone_number": "4915112345678",
            "long": String(repeating: "x", count: 70_000), "z\u{0}": "nul\u{0}inside",
        ]
        let fields = LiveFields(dictionary)
        #expect(fields.count == dictionary.count)
        for (path, value) in dictionary { #expect(fields[path] == value, "\(path)") }
        #expect(fields.map(\.path) == dictionary.keys.sorted())
        #expect(fields["absent"] == nil)
        #expect(fields.first(longerThan: 65_536)?.path == "long")
        #expect(fields.first(longerThan: 65_536)?.bytes == 70_000)
        #expect(fields.first(longerThan: 70_000) == nil)
        #expect(LiveFields([:]).isEmpty)
    }

    @Test("client.id reads client_id when the object has only that; both kinds of channel compare by value")
    func aliasAndEquality() {
        #expect(LiveFields(["client_id": "c1"])["client.id"] == "c1")
        #expect(LiveFields(["client_id": "c1", "client.id": "c2"])["client.id"] == "c2")
        var channel = LiveChannel(id: "aCH", clientID: "c1", status: "pending")
        #expect(channel.clientID == "c1" && channel.fields["client.id"] == "c1")
        channel.status = "live"
        #expect(channel.fields["status"] == "live", "a property set is the field set")
        #expect(channel == LiveChannel(id: "aCH", clientID: "c1", status: "live"))
        #expect(channel != LiveChannel(id: "aCH", clientID: "c1", status: "ready"))
        #expect(LiveChannel(id: "aCH", phoneNumber: "+49 151 1234").phoneNumber == "491511234")
    }

    @Test("a page's channels share one set of paths; a channel with other fields has its own; a path twice goes the long way")
    func pathsAreSharedPerPage() throws {
        func channel(_ id: String, extra: String = "") -> String {
            #"{"id":"\#(id)","status":"ready","client":{"id":"c","name":"Acme"}\#(extra),"setup_info":{"phone_number":"49\#(id.count)"}}"#
        }
        let body = #"{"partner_channels":[\#(channel("a")),\#(channel("b")),\#(channel("c", extra: #","note":true"#))],"total":3}"#
        let page = try #require(ChannelPageReader.read(Data(body.utf8)))
        let (a, b, c) = (page.channels[0], page.channels[1], page.channels[2])
        #expect(a.fields.paths === b.fields.paths)
        #expect(a.fields.paths !== c.fields.paths)
        #expect(a.fields.map(\.path) == ["client.id", "client.name", "id", "setup_info.phone_number", "status"])
        #expect(c.fields["note"] == "true")
        #expect(b.id == "b" && b.fields["id"] == "b" && b.clientName == "Acme" && b.phoneNumber == "491")
        // `client.name` twice (an object and a dotted key): which wins is the long way's to say.
        let twice = #"{"partner_channels":[{"id":"a","client":{"name":"x"},"client.name":"y"}],"total":1}"#
        #expect(ChannelPageReader.read(Data(twice.utf8)) == nil)
    }
}
