import PartnerAPIRules
import Testing
import Yams

@testable import WabaformCore

/// Export writes YAML double-quoted scalars with the escapes it shares with JSON (`JSONText`)
/// and YAML's own for the rest; what it writes must read back as the same text.
@Suite struct YAMLQuotingTests {
    @Test("every escape export writes reads back as the text it stands for")
    func roundTrip() throws {
        let text = "a\"b\\c\nd\re\tf\u{1}g\u{1B}h\u{7F}i\u{85}j\u{2028}k\u{2029}l\u{FEFF}m é 😀"
        let quoted = ExportYAMLWriter.quoted(text)
        #expect(quoted == #""a\"b\\c\nd\re\tf\x01g\x1Bh\x7Fi\u0085j\u2028k\u2029l\uFEFFm é 😀""#)
        let read = try Yams.load(yaml: "value: \(quoted)\n") as? [String: Any]
        #expect(read?["value"] as? String == text)
    }

    @Test("JSON escapes control characters and the line separators, in lower case, and nothing else")
    func json() {
        #expect(JSONText.quoted("a\"\\\n\u{1}\u{2028}é") == #""a\"\\\n\u0001\u2028é""#)
        #expect(JSONText.quoted("plain") == "\"plain\"")
    }
}
