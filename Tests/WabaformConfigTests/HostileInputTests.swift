import Foundation
import Testing
import WabaformTestSupport
@testable import WabaformConfig

/// Hostile input is rejected quickly with a clear message, without crashing, hanging or
/// using unbounded memory. Inputs are generated here, not committed.
@Suite("Hostile input", .timeLimit(.minutes(1)))
struct HostileInputTests {
    static func temporaryFile(_ bytes: [UInt8]) throws -> (directory: URL, name: String) {
        let directory = URL(fileURLWithPath: try Scratch.directory("hostile"))
        try Data(bytes).write(to: directory.appendingPathComponent("big.yaml"))
        return (directory, "big.yaml")
    }

    static func errors(_ yaml: String) -> [String] {
        Support.load(yaml).diagnostics.filter(\.isError).map(\.message)
    }

    @Test("a 10 MB file is rejected before it is parsed")
    func tenMegabytes() throws {
        let line = Array("  - id: abcCH\n".utf8)
        var bytes = Array("version: 1\npartner:\n  id: p\nchannels:\n".utf8)
        while bytes.count < 10 * 1024 * 1024 { bytes += line }
        let (directory, name) = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = ContinuousClock.now
        let result = ConfigLoader.load(paths: [name], workingDirectory: directory.path, environment: [:])
        // A bound against parsing it, not a timing: parsing 10 MB takes far longer.
        #expect(ContinuousClock.now - start < .seconds(3))
        #expect(result.diagnostics.map(\.message) == ["the file is 10.0 MiB; wabaform reads config files of at most 5 MiB"])
        #expect(result.diagnostics.first?.location.isWholeFile == true)
    }

    @Test("binary garbage is an error, never a crash", arguments: 0..<8)
    func garbage(seed: UInt64) throws {
        var generator = SplitMix(seed: seed)
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if seed % 2 == 1 { bytes = bytes.map { $0 == 0 ? 1 : $0 } }  // without NUL bytes too
        let (directory, name) = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = ConfigLoader.load(paths: [name], workingDirectory: directory.path, environment: [:])
        #expect(result.config == nil)
        #expect(result.diagnostics.contains { $0.isError })
        // Never print raw control bytes in an excerpt.
        let text = Diagnostic.renderText(result.diagnostics)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    }

    @Test("UTF-8 text with control characters is rejected with its position")
    func controlCharacter() {
        let messages = Support.messages("version: 1\npartner:\n  id: a\u{7}b\n")
        #expect(messages == ["3:8: error: the file contains a control character (U+0007); is it a binary file?"])
    }

    @Test("100,000 nested flow sequences", arguments: ["[", "{a: "])
    func deepFlowNesting(opener: String) {
        let closer = opener == "[" ? "]" : "}"
        let yaml = "version: 1\npartner: " + String(repeating: opener, count: 100_000) + String(repeating: closer, count: 100_000) + "\n"
        let errors = Self.errors(yaml)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("nesting is too deep") == true)
    }

    @Test("100,000 nested block sequences")
    func deepBlockNesting() {
        let yaml = "version: 1\npartner:\n" + String(repeating: "- ", count: 100_000) + "x\n"
        let errors = Self.errors(yaml)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("nesting is too deep") == true)
    }

    @Test("nesting just under libyaml's limit is composed, then cut off at the decoder's")
    func nestingUnderTheLimit() {
        let yaml = "version: 1\npartner: " + String(repeating: "[", count: 990) + String(repeating: "]", count: 990) + "\n"
        let errors = Self.errors(yaml)
        #expect(errors.contains("nesting is deeper than \(ConfigLimits.maxDepth) levels; a wabaform config needs at most 5"))
    }

    /// Nine levels of ten aliases: a billion leaves if expanded.
    static let laughs: String = {
        var lines = ["version: 1", "partner:", "  id: p", "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test("a billion laughs is cut off by the node budget")
    func billionLaughs() {
        let start = ContinuousClock.now
        let errors = Self.errors(Self.laughs + "channels: *l9\n")
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(errors.contains { $0.contains("more than \(ConfigLimits.maxNodes) nodes once aliases are expanded") })
    }

    @Test(
        "a billion laughs used as a mapping key is refused before composing",
        arguments: [
            "? *l9\n: x\n", "*l9 : x\n", "[*l9, *l9]: x\n", "{*l9: x}: y\n",
        ])
    func aliasAsKey(key: String) {
        let start = ContinuousClock.now
        let errors = Self.errors(Self.laughs + key)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(errors.count == 1)
        #expect(errors.first?.contains("does not read aliases together with complex keys") == true)
    }

    /// The composer makes the text's scalars only for a file that seems to use an alias
    /// (`mayUseAliases`, read in UTF-8): it must say so exactly when a scalar-by-scalar reading
    /// finds a `*` starting a token and followed by an anchor character.
    @Test("the alias check on UTF-8 bytes agrees with reading scalar by scalar")
    func aliasGateMatchesScalars() {
        func reference(_ text: String) -> Bool {
            let scalars = Array(text.unicodeScalars)
            return scalars.indices.contains { index in
                guard scalars[index] == "*", index + 1 < scalars.count else { return false }
                let next = scalars[index + 1]
                guard next.isASCII, next.properties.isAlphabetic || ("0"..."9").contains(next) || next == "-" || next == "_"
                else { return false }
                return index == 0 || " \t\n\r[{,".unicodeScalars.contains(scalars[index - 1])
            }
        }
        let pieces = ["*", "a", "Z", "9", "-", "_", " ", "\t", "\n", "\r", "[", "{", ",", ":", "é", "日", "*é", "\u{200B}", "x"]
        var texts = ["", "*", "*a", "a*a", " *a", "é*a", "[*a]", "{*a: 1}", "x: *pid", "url: https://h/*/x", "glob: fleet*"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            texts.append((0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts {
            #expect(YAMLComposer.mayUseAliases(text) == reference(text), "\(text.debugDescription)")
        }
    }

    @Test("node positions come back sorted, each once")
    func nodePositionsSortedUnique() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 50, 500] {
            let positions = (0..<count).map { _ in
                YAMLPosition(line: Int.random(in: 1...20, using: &generator), column: Int.random(in: 1...5, using: &generator))
            }
            #expect(YAMLComposer.sortedUnique(positions) == Array(Set(positions)).sorted())
        }
    }

    @Test("a handful of aliases to scalars is fine")
    func smallAliases() {
        let yaml = """
            version: 1
            partner:
              id: &pid pa-1
            channels:
              - id: *pid
                local_storage: &de DE
              - select: all
                local_storage: *de
            """
        #expect(Self.errors(yaml).isEmpty)
    }

    @Test("a few duplicate keys are each reported; hundreds stop at a limit")
    func manyDuplicates() {
        let few = "version: 1\npartner:\n  id: p\n" + (0..<10).map { _ in "  id: p\n" }.joined()
        let fewErrors = Self.errors(few)
        #expect(fewErrors.count == 10)
        #expect(fewErrors.first == "duplicate key 'id'; it is already set at line 3 (each key may appear once in a mapping)")

        let many = "version: 1\npartner:\n  id: p\n" + (0..<300).map { _ in "  id: p\n" }.joined()
        let start = ContinuousClock.now
        let errors = Self.errors(many)
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(errors.count == 1)
        #expect(
            errors.first?.hasSuffix("the file has more than \(ConfigLimits.maxDuplicateRecoveries) duplicate keys, so wabaform stops here")
                == true)
    }

    @Test("a very long line is cut in the excerpt")
    func longLine() throws {
        let yaml = "version: 1\npartner:\n  id: p\n  webhook_url: http://" + String(repeating: "a", count: 100_000) + ".example.com/\n"
        let diagnostics = Support.load(yaml).diagnostics
        let excerpt = try #require(diagnostics.first?.excerpt)
        #expect(excerpt.line.unicodeScalars.count <= SourceFile.maxExcerptWidth)
        #expect(excerpt.caretColumn == 16)
    }
}

/// A small seeded generator, so garbage is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
