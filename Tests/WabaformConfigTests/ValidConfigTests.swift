import Foundation
import PartnerAPIRules
import Testing
import WabaformTestSupport
@testable import WabaformConfig

/// `Fixtures/valid/*.yaml` load cleanly, into exactly the expected model.
@Suite("Valid configs load into the exact model")
struct ValidConfigTests {
    static func load(_ name: String) throws -> (DesiredConfig, [Diagnostic]) {
        let result = ConfigLoader.load(
            paths: ["valid/\(name)"], workingDirectory: Support.fixturesDirectory.path,
            environment: Support.environment)
        let rendered = Diagnostic.renderText(result.diagnostics)
        let config = try #require(result.config, "\(name) should be valid:\n\(rendered)")
        return (config, result.diagnostics)
    }

    static func at(_ file: String, _ line: Int, _ column: Int) -> WabaformConfig.SourceLocation {
        WabaformConfig.SourceLocation(file: "valid/\(file)", line: line, column: column)
    }

    static func region(_ code: String) -> LocalStorage { .region(Region(code: code)!) }

    @Test(
        "every valid fixture validates with no diagnostics",
        arguments: Support.files(
            in: Support.fixturesDirectory.appendingPathComponent("valid"), extensions: ["yaml", "yml"]
        ).map(\.lastPathComponent))
    func noDiagnostics(name: String) throws {
        let (_, diagnostics) = try Self.load(name)
        #expect(diagnostics.isEmpty, "\(Diagnostic.renderText(diagnostics))")
    }

    @Test("the quickstart from the spec")
    func quickstart() throws {
        let (config, _) = try Self.load("quickstart.yaml")
        let f = "quickstart.yaml"
        #expect(config.sourceFiles == ["valid/quickstart.yaml"])
        #expect(
            config.partner
                == PartnerSpec(
                    id: "pa-1234", webhookURL: "https://hooks.example.com/360/partner",
                    redirectURL: "https://app.example.com/onboarded", defaultLocalStorage: Self.region("DE"),
                    location: Self.at(f, 3, 1), idLocation: Self.at(f, 4, 3), webhookURLLocation: Self.at(f, 5, 3),
                    redirectURLLocation: Self.at(f, 6, 3), defaultLocalStorageLocation: Self.at(f, 7, 3)))
        let expected = [
            ChannelRule(
                index: 0, location: Self.at(f, 9, 5), selector: .all, selectorLocation: Self.at(f, 9, 5),
                webhook: WebhookSpec(
                    urlTemplate: WebhookURLTemplate("https://hooks.example.com/wa/{channel_id}"),
                    headers: [WebhookHeader(name: "X-Hook-Secret", value: Secret("s3cr3t-hook-value"))]),
                webhookLocation: Self.at(f, 10, 5), localStorage: nil, localStorageLocation: nil),
            ChannelRule(
                index: 1, location: Self.at(f, 14, 5),
                selector: .match([
                    FieldMatch(path: "client.name", pattern: GlobPattern("Acme*")),
                    FieldMatch(path: "status", pattern: GlobPattern("ready")),
                ]),
                selectorLocation: Self.at(f, 14, 5), webhook: nil, webhookLocation: nil,
                localStorage: Self.region("DE"), localStorageLocation: Self.at(f, 15, 5)),
            ChannelRule(
                index: 2, location: Self.at(f, 16, 5), selector: .id("abcCH"), selectorLocation: Self.at(f, 16, 5),
                webhook: WebhookSpec(urlTemplate: WebhookURLTemplate("https://acme.example.com/wa"), headers: []),
                webhookLocation: Self.at(f, 17, 5), localStorage: .off, localStorageLocation: Self.at(f, 18, 5)),
            ChannelRule(
                index: 3, location: Self.at(f, 19, 5), selector: .phoneNumber("4915112345678"),
                selectorLocation: Self.at(f, 19, 5), webhook: nil, webhookLocation: nil,
                localStorage: Self.region("GB"), localStorageLocation: Self.at(f, 20, 5)),
        ]
        #expect(config.channelRules == expected)
        #expect(config.channelRules.map(\.rank) == [.all, .match, .exact, .exact])
    }

    @Test("a partner with only an id")
    func minimal() throws {
        let (config, _) = try Self.load("minimal.yaml")
        let partner = try #require(config.partner)
        #expect(partner.id == "pa-1234")
        #expect(partner.webhookURL == nil && partner.redirectURL == nil && partner.defaultLocalStorage == nil)
        #expect(config.channelRules.isEmpty)
    }

    @Test("`channels:` with every rule commented out manages nothing")
    func noChannels() throws {
        let (config, _) = try Self.load("no-channels.yaml")
        #expect(config.channelRules.isEmpty)
        #expect(config.partner?.webhookURL == "https://hooks.example.com/partner")
    }

    @Test("every accepted spelling")
    func forms() throws {
        let (config, _) = try Self.load("forms.yaml")
        let partner = try #require(config.partner)
        #expect(partner.id == "0123")
        #expect(partner.defaultLocalStorage == .off)
        let rules = config.channelRules
        try #require(rules.count == 6)
        let acme = WebhookSpec(
            urlTemplate: WebhookURLTemplate("https://{client_id}.hooks.example.com/wa/{channel_id}?waba={waba_id}&n={phone_number}"),
            headers: [
                WebhookHeader(name: "Authorization", value: Secret("Bearer dev-token")),
                WebhookHeader(name: "X-Literal", value: Secret("${NOT_A_VARIABLE}")),
                WebhookHeader(name: "X-Number", value: Secret("12345")),
                WebhookHeader(name: "X-Token", value: Secret("acme-t0ken-value")),
            ])
        #expect(
            rules[0].selector
                == .match([
                    FieldMatch(path: "client.name", pattern: GlobPattern("*Acme*")),
                    FieldMatch(path: "status", pattern: GlobPattern("ready")),
                ]))
        #expect(rules[0].webhook == acme)
        #expect(rules[0].webhook?.headers.map(\.name) == ["Authorization", "X-Literal", "X-Number", "X-Token"])
        #expect(rules[0].localStorage == Self.region("DE"))
        #expect(rules[1].selector == .id("ZYXCH"))
        #expect(rules[1].webhook == acme, "an alias reuses the anchored mapping")
        #expect(rules[1].localStorage == .off)
        #expect(rules[2].selector == .phoneNumber("4915112345678"))
        #expect(rules[2].localStorage == Self.region("SG"))
        #expect(rules[3].selector == .match([FieldMatch(path: "waba_account.id", pattern: GlobPattern("1234567890"))]))
        #expect(
            rules[4].selector
                == .match([
                    FieldMatch(
                        path: "client.name",
                        values: [SelectValue(pattern: GlobPattern("Acme*")), SelectValue(pattern: GlobPattern("Globex*"))]),
                    FieldMatch(path: "status", values: [SelectValue(pattern: GlobPattern("pending"), negated: true)]),
                ]))
        #expect(
            rules[5].selector
                == .match([
                    FieldMatch(
                        path: "status",
                        values: [
                            SelectValue(pattern: GlobPattern("pending"), negated: true),
                            SelectValue(pattern: GlobPattern("draft"), negated: true),
                        ])
                ]))
        #expect(rules.map(\.index) == [0, 1, 2, 3, 4, 5])
    }

    @Test("several files merge: partner from one, rules concatenated in order")
    func mergesFiles() throws {
        let result = ConfigLoader.load(
            sources: [
                (path: "a.yaml", text: "version: 1\npartner:\n  id: pa-1\nchannels:\n  - id: aCH\n    local_storage: DE\n"),
                (
                    path: "b.yaml",
                    text: "version: 1\nchannels:\n  - select: all\n    local_storage: 'off'\n  - id: bCH\n    local_storage: GB\n"
                ),
            ], environment: [:])
        let config = try #require(result.config)
        #expect(config.partner?.id == "pa-1")
        #expect(config.sourceFiles == ["a.yaml", "b.yaml"])
        #expect(config.channelRules.map(\.index) == [0, 1, 2])
        #expect(config.channelRules.map(\.selector) == [.id("aCH"), .all, .id("bCH")])
        #expect(config.channelRules.map(\.location.file) == ["a.yaml", "b.yaml", "b.yaml"])
    }

    @Test("a directory is read in name order, .yaml and .yml, hidden files skipped")
    func directory() throws {
        let directory = URL(fileURLWithPath: try Scratch.directory("dir"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("conf/sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("conf/20-channels.yml", "version: 1\nchannels:\n  - id: bCH\n    local_storage: GB\n")
        try write("conf/10-partner.yaml", "version: 1\npartner:\n  id: pa-1\nchannels:\n  - id: aCH\n    local_storage: DE\n")
        try write("conf/.hidden.yaml", "this is: [not read")
        try write("conf/notes.txt", "not read")
        try write("conf/sub/30-ignored.yaml", "not: [read")
        let result = ConfigLoader.load(paths: ["conf"], workingDirectory: directory.path, environment: [:])
        let config = try #require(result.config, "\(Diagnostic.renderText(result.diagnostics))")
        #expect(config.sourceFiles == ["conf/10-partner.yaml", "conf/20-channels.yml"])
        #expect(config.channelRules.map(\.selector) == [.id("aCH"), .id("bCH")])

        // The same file named twice is read once, with a warning.
        let twice = ConfigLoader.load(paths: ["conf", "conf/10-partner.yaml"], workingDirectory: directory.path, environment: [:])
        #expect(twice.config?.channelRules.count == 2)
        #expect(twice.diagnostics.map(\.severity) == [.warning])

        // With no paths, wabaform.yaml in the working directory, or a clear error.
        let missing = ConfigLoader.load(paths: [], workingDirectory: directory.path, environment: [:])
        #expect(missing.config == nil)
        #expect(missing.diagnostics.first?.message.contains("-f PATH") == true)
        #expect(missing.diagnostics.first?.location == WabaformConfig.SourceLocation.wholeFile("wabaform.yaml"))
        try write("wabaform.yaml", "version: 1\npartner:\n  id: pa-9\n")
        let byDefault = ConfigLoader.load(paths: [], workingDirectory: directory.path, environment: [:])
        #expect(byDefault.config?.partner?.id == "pa-9")
        #expect(byDefault.config?.sourceFiles == ["wabaform.yaml"])

        // An empty directory and a missing path are errors.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = ConfigLoader.load(paths: ["empty", "nope.yaml"], workingDirectory: directory.path, environment: [:])
        #expect(empty.diagnostics.map(\.message) == ["directory has no .yaml or .yml files", "no such file or directory"])
    }
}
