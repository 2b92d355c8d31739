import Foundation
import PartnerAPIRules
import Testing
@testable import WabaformConfig

/// `schemas/wabaform.schema.json` (for editors) stays in step with the decoder, and the
/// example and fixture files validate against it with a real JSON Schema validator.
@Suite("JSON Schema")
struct SchemaTests {
    static let schemaURL = Support.packageRoot.appendingPathComponent("schemas/wabaform.schema.json")
    static let validatorScript = Support.packageRoot.appendingPathComponent("scripts/validate-json-schema.py")

    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: schemaURL)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func object(_ value: Any?, _ path: String) throws -> [String: Any] {
        try #require(value as? [String: Any], "schema has no object at \(path)")
    }

    static func keys(_ value: Any?, _ path: String) throws -> Set<String> {
        Set(try object(value, path).keys)
    }

    @Test("the schema's keys are the decoder's keys")
    func keysInStep() throws {
        let schema = try Self.schema()
        let defs = try Self.object(schema["$defs"], "$defs")
        #expect(try Self.keys(schema["properties"], "properties") == Set(ConfigKeys.topLevel))
        let partner = try Self.object(defs["partner"], "$defs/partner")
        #expect(try Self.keys(partner["properties"], "partner/properties") == Set(ConfigKeys.partner))
        #expect(partner["required"] as? [String] == ["id"])
        let rule = try Self.object(defs["channelRule"], "$defs/channelRule")
        #expect(try Self.keys(rule["properties"], "channelRule/properties") == Set(ConfigKeys.channelRule))
        let oneOf = try #require(rule["oneOf"] as? [[String: Any]])
        #expect(oneOf.compactMap { ($0["required"] as? [String])?.first } == ConfigKeys.selectors)
        let webhook = try Self.object(defs["webhook"], "$defs/webhook")
        #expect(try Self.keys(webhook["properties"], "webhook/properties") == Set(ConfigKeys.webhook))
        #expect(webhook["required"] as? [String] == ["url"])
        for object in [schema, partner, rule, webhook] {
            #expect(object["additionalProperties"] as? Bool == false, "unknown keys must be errors in editors too")
        }
        let version = try Self.object(try Self.object(schema["properties"], "properties")["version"], "version")
        #expect((version["enum"] as? [Any])?.contains { ($0 as? Int) == ConfigKeys.supportedVersion } == true)
        #expect(schema["required"] as? [String] == ["version"])
        for list in [ConfigKeys.topLevel, ConfigKeys.partner, ConfigKeys.channelRule, ConfigKeys.webhook] {
            #expect(Set(list).count == list.count)
        }
    }

    @Test("the schema's regions are Region.codes, in any case, plus off")
    func regionsInStep() throws {
        let defs = try Self.object(try Self.schema()["$defs"], "$defs")
        let regionCode = try Self.object(defs["regionCode"], "$defs/regionCode")
        #expect(regionCode["enum"] as? [String] == Region.codes)
        let storage = try Self.object(defs["localStorage"], "$defs/localStorage")
        let options = try #require(storage["anyOf"] as? [[String: Any]])
        let patterns = options.compactMap { $0["pattern"] as? String }.map { try? NSRegularExpression(pattern: $0) }
        func accepted(_ text: String) -> Bool {
            patterns.contains { $0?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
        }
        for code in Region.codes + ["off"] {
            #expect(accepted(code.lowercased()) && accepted(code.uppercased()), "\(code)")
        }
        #expect(!accepted("XX") && !accepted("US") && !accepted("DEU"))
    }

    @Test("the schema's phone_number and URL patterns agree with PhoneNumber and WebhookURLRule")
    func inputRulesInStep() throws {
        let defs = try Self.object(try Self.schema()["$defs"], "$defs")
        let rule = try Self.object(defs["channelRule"], "$defs/channelRule")
        let phone = try Self.object(try Self.object(rule["properties"], "properties")["phone_number"], "phone_number")
        #expect(phone["pattern"] as? String == PhoneNumber.schemaPattern)
        let phonePattern = try NSRegularExpression(pattern: PhoneNumber.schemaPattern)
        for sample in ["+49 (151) 1234-5678", "4915112345678", "1e3", "+49 151 x", "49+1", "+", "0049 151", "１２３"] {
            let schemaAccepts = phonePattern.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil
            #expect(schemaAccepts == (PhoneNumber.problem(sample) == nil), "\(sample)")
        }
        let url = try Self.object(defs["httpsURL"], "$defs/httpsURL")
        let urlPattern = try NSRegularExpression(pattern: try #require(url["pattern"] as? String))
        for sample in [
            "https://hooks.example.com/wa", "https://[]/x", "https://exa\u{200B}mple.com/x", "https://a.example.com/\u{202E}x",
            "https://a.example.com/\u{7}", "https://ok.example.com/{channel_id}",
        ] {
            let schemaAccepts = urlPattern.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil
            #expect(
                schemaAccepts == WebhookURLRule.violations(of: sample.replacingOccurrences(of: "{channel_id}", with: "x")).isEmpty,
                "\(sample)")
        }
    }

    @Test("the schema's select paths are ChannelFieldPath.all")
    func fieldPathsInStep() throws {
        let defs = try Self.object(try Self.schema()["$defs"], "$defs")
        let select = try Self.object(defs["select"], "$defs/select")
        let map = try #require((select["anyOf"] as? [[String: Any]])?.first { $0["type"] as? String == "object" })
        let names = try Self.object(map["propertyNames"], "select/propertyNames")
        #expect(names["enum"] as? [String] == ChannelFieldPath.all)
    }

    // MARK: A real validator

    struct Verdict: Decodable {
        let file: String
        let valid: Bool
        let errors: [String]
    }

    /// Runs `scripts/validate-json-schema.py` (python3 with jsonschema and PyYAML). Fails,
    /// rather than skips, when they are missing: CI installs them.
    static func validate(_ files: [URL]) throws -> [String: Verdict] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", validatorScript.path, schemaURL.path] + files.map(\.path)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            Issue.record("cannot run python3 (\(error)); install python3 with: pip install jsonschema pyyaml")
            return [:]
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Issue.record(
                """
                JSON Schema validator failed (exit \(process.terminationStatus)): \(stderr)
                It needs python3 with jsonschema and PyYAML: pip install jsonschema pyyaml
                """)
            return [:]
        }
        let verdicts = try String(decoding: stdout, as: UTF8.self).split(separator: "\n")
            .map { try JSONDecoder().decode(Verdict.self, from: Data($0.utf8)) }
        return Dictionary(verdicts.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every wabaform config under `examples/`: each example's `wabaform.yaml`, or the files of
    /// its `wabaform/` directory. (Other YAML there — CI workflows, Kubernetes manifests — is not
    /// wabaform config.)
    static func exampleFiles() -> [URL] {
        let root = Support.packageRoot.appendingPathComponent("examples")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .filter { $0.lastPathComponent == "wabaform.yaml" || $0.deletingLastPathComponent().lastPathComponent == "wabaform" }
            .sorted { $0.path < $1.path }
    }

    @Test("examples/ and the valid fixtures validate against the schema")
    func validFilesPass() throws {
        let valid = Support.files(in: Support.fixturesDirectory.appendingPathComponent("valid"), extensions: ["yaml", "yml"])
        let files = Self.exampleFiles() + valid
        #expect(valid.count >= 4)
        let verdicts = try Self.validate(files)
        for file in files {
            let verdict = try #require(verdicts[file.path], "no verdict for \(file.path)")
            #expect(verdict.valid, "\(file.path): \(verdict.errors.joined(separator: "; "))")
        }
    }

    @Test(
        "invalid fixtures that break the schema fail it",
        arguments: [
            "boolean-trap", "channels-mapping", "headers", "missing-partner-id", "missing-version", "regions", "selectors",
            "top-level-list", "unknown-keys", "unsupported-version", "urls", "wrong-types", "empty", "hostile-input",
        ])
    func invalidFilesFail(name: String) throws {
        let file = Support.fixturesDirectory.appendingPathComponent("invalid/\(name).yaml")
        let verdicts = try Self.validate([file])
        let verdict = try #require(verdicts[file.path])
        #expect(!verdict.valid, "\(name) should not match the schema")
    }
}
