import Foundation
import PartnerAPIRules
import Testing
import WabaformTestSupport
@testable import WabaformCore

@Suite("Channel keys from a secret directory")
struct ChannelKeysDirectoryTests {
    static func directory() throws -> String {
        try Scratch.directory("keydir")
    }

    @Test("a Kubernetes Secret volume: symlinks through ..data, hidden entries skipped, newline trimmed")
    func kubernetes() throws {
        let path = try Self.directory()
        try KubernetesSecretVolume.write(["acme01CH": "key-one", "acme02CH": "key-two"], to: path)
        let keys = try ChannelKeys.load(file: path, environment: [:])
        #expect(keys.channelIDs == ["acme01CH", "acme02CH"])
        #expect(keys.key(for: "acme01CH") == Secret("key-one"))
        #expect(keys.entry(for: "acme02CH")?.source == path + "/acme02CH")
    }

    @Test("Docker secrets: plain files, CRLF trimmed, subdirectories and dotfiles ignored; variables still win")
    func docker() throws {
        let path = try Self.directory()
        try Data("key-one\r\n".utf8).write(to: URL(fileURLWithPath: path + "/acme01CH"))
        try Data("key-two".utf8).write(to: URL(fileURLWithPath: path + "/acme02CH"))
        try Data("not-a-key\n".utf8).write(to: URL(fileURLWithPath: path + "/.hidden"))
        try FileManager.default.createDirectory(atPath: path + "/nested", withIntermediateDirectories: true)
        let keys = try ChannelKeys.load(
            file: nil, environment: ["WABAFORM_CHANNEL_KEYS_FILE": path, "WABAFORM_CHANNEL_KEY_acme02CH": "env"])
        #expect(keys.channelIDs == ["acme01CH", "acme02CH"])
        #expect(keys.key(for: "acme01CH") == Secret("key-one"))
        #expect(keys.key(for: "acme02CH") == Secret("env"))
    }

    @Test(
        "a file that is not a key is an error naming the file, never its content",
        arguments: [
            ("", "is empty"),
            ("s3cret-value\nsecond-line\n", "holds more than one line or a control character"),
            ("(120 kB of s3cret-value)", "is larger than 64 KiB"),
        ])
    func badFiles(content: String, expected: String) throws {
        let path = try Self.directory()
        let content = content.hasPrefix("(120 kB") ? String(repeating: "s3cret-value", count: 10_000) : content
        try Data(content.utf8).write(to: URL(fileURLWithPath: path + "/acme01CH"))
        #expect {
            _ = try ChannelKeys.load(file: path, environment: [:])
        } throws: { error in
            let message = "\(error)"
            return message.contains(path) && message.contains("channel acme01CH") && message.contains(expected)
                && !message.contains("s3cret-value")
        }
    }
}
