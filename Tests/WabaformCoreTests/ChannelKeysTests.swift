import Foundation
import PartnerAPIRules
import Testing
import WabaformTestSupport
@testable import WabaformCore

@Suite("Channel keys")
struct ChannelKeysTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    func file(_ text: String, name: String = "keys") throws -> String {
        let directory = URL(fileURLWithPath: try Scratch.directory("keys"))
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("reads a JSON object")
    func json() throws {
        let path = try file(#"{"acme01CH": "key-one", "acme02CH": "key-two"}"#, name: "keys.json")
        let keys = try ChannelKeys.load(file: path, environment: [:])
        #expect(keys.key(for: "acme01CH") == Secret("key-one"))
        #expect(keys.entry(for: "acme02CH")?.source == path)
        #expect(keys.channelIDs == ["acme01CH", "acme02CH"])
        #expect(keys.key(for: "other01CH") == nil)
    }

    @Test("reads a flat YAML map with comments and quotes")
    func yaml() throws {
        let text = """
            # channel keys
            ---
            acme01CH: key-one   # trailing comment
            acme02CH: "key two"
            'acme03CH': 'it''s'
            acme04CH: key#with#hashes
            """
        let keys = try ChannelKeys.load(file: try file(text, name: "keys.yaml"), environment: [:])
        #expect(keys.key(for: "acme01CH") == Secret("key-one"))
        #expect(keys.key(for: "acme02CH") == Secret("key two"))
        #expect(keys.key(for: "acme03CH") == Secret("it's"))
        #expect(keys.key(for: "acme04CH") == Secret("key#with#hashes"))
    }

    @Test("the environment beats the file, and the file comes from the flag before the variable")
    func precedence() throws {
        let flagged = try file(#"{"acme01CH": "from-flag-file"}"#)
        let variable = try file(#"{"acme01CH": "from-variable-file", "acme02CH": "file-two"}"#)
        let environment = [
            "WABAFORM_CHANNEL_KEYS_FILE": variable, "WABAFORM_CHANNEL_KEY_acme02CH": "from-env",
        ]
        let viaVariable = try ChannelKeys.load(file: nil, environment: environment)
        #expect(viaVariable.key(for: "acme01CH") == Secret("from-variable-file"))
        #expect(viaVariable.key(for: "acme02CH") == Secret("from-env"))
        #expect(viaVariable.entry(for: "acme02CH")?.source == "WABAFORM_CHANNEL_KEY_acme02CH")

        let viaFlag = try ChannelKeys.load(file: flagged, environment: environment)
        #expect(viaFlag.key(for: "acme01CH") == Secret("from-flag-file"))
        #expect(viaFlag.key(for: "acme02CH") == Secret("from-env"))
    }

    @Test("an upper-cased variable name still finds its channel")
    func caseFolding() throws {
        let keys = try ChannelKeys.load(file: nil, environment: ["WABAFORM_CHANNEL_KEY_ACME01CH": "k1"])
        #expect(keys.key(for: "acme01CH") == Secret("k1"))
        #expect(keys.entry(for: "acme01CH")?.source == "WABAFORM_CHANNEL_KEY_ACME01CH")
    }

    @Test("10,000 keys: exact ids, ids in another case, ids that fold together and missing ids")
    func positionsAgreeWithADictionary() {
        var given: [String: Secret] = [:]
        for number in 0..<10_000 { given["fleet\(number)ch"] = Secret("key-\(number)") }
        given["twinCH"] = Secret("key-twin-a")  // folds onto the next: ambiguous unless exact
        given["TWINch"] = Secret("key-twin-b")
        given["ONLYUPPER"] = Secret("key-upper")
        let keys = ChannelKeys(given)
        for number in stride(from: 0, to: 10_000, by: 7) {
            #expect(keys.key(for: "fleet\(number)ch") == Secret("key-\(number)"))
            #expect(keys.key(for: "FLEET\(number)CH") == Secret("key-\(number)"))
            #expect(keys.key(for: "Fleet\(number)cH") == Secret("key-\(number)"))
            #expect(keys.key(for: "fleet\(number + 10_000)ch") == nil)
        }
        #expect(keys.key(for: "twinCH") == Secret("key-twin-a"))
        #expect(keys.key(for: "TWINch") == Secret("key-twin-b"))
        #expect(keys.key(for: "twinch") == nil)
        #expect(keys.key(for: "TWINCH") == nil)
        #expect(keys.key(for: "onlyupper") == Secret("key-upper"))
        #expect(keys.key(for: "") == nil)
        #expect(keys.channelIDs.count == 10_003)
        #expect(ChannelKeys([:]).key(for: "fleet1ch") == nil)
    }

    @Test(
        "errors name the file and line, never the key",
        arguments: [
            ("acme01CH: s3cret-value\n  nested: s3cret-value\n", ":2: expected `CHANNEL_ID: KEY` at the start"),
            ("acme01CH: s3cret-value\nacme01CH: s3cret-value\n", ":2: channel acme01CH is listed twice (first on line 1)"),
            ("acme01CH:s3cret-value\n", ":1: expected a space after the colon"),
            ("acme01CH: \"s3cret-value\n", ":1: the key for channel acme01CH is not a plain or quoted string"),
            ("acme01CH:\n", ":1: the key for channel acme01CH is empty"),
            ("- s3cret-value\n", ":1: expected `CHANNEL_ID: KEY`"),
            (#"{"acme01CH": 12345678}"#, "the value for channel acme01CH must be a string"),
            (#"{"acme01CH": "s3cret-value""#, "is not a valid JSON object"),
        ])
    func errors(text: String, expected: String) throws {
        let path = try file(text)
        #expect {
            _ = try ChannelKeys.load(file: path, environment: [:])
        } throws: { error in
            let message = "\(error)"
            return message.contains(path) && message.contains(expected) && !message.contains("s3cret-value")
                && !message.contains("12345678")
        }
    }

    @Test("a missing file is an error naming it and where it was named")
    func missingFile() {
        #expect {
            _ = try ChannelKeys.load(file: nil, environment: ["WABAFORM_CHANNEL_KEYS_FILE": "/nonexistent/keys.json"])
        } throws: { error in
            "\(error)" == "cannot read the channel keys file /nonexistent/keys.json (WABAFORM_CHANNEL_KEYS_FILE): it does not exist"
        }
    }
}
