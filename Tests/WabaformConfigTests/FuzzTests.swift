import Foundation
import Testing
@testable import WabaformConfig

/// A seeded mutation fuzzer over the valid fixtures and the examples: every mutated
/// document either loads or yields at least one error diagnostic located in that file;
/// never a crash, never a hang. CI runs 3,000 documents; `WABAFORM_SOAK=1` runs 100,000.
@Suite("Config fuzzing", .timeLimit(.minutes(ProcessInfo.processInfo.environment["WABAFORM_SOAK"] == "1" ? 30 : 5)))
struct FuzzTests {
    static var documentCount: Int { ProcessInfo.processInfo.environment["WABAFORM_SOAK"] == "1" ? 100_000 : 3_000 }

    /// The valid fixtures and every example config: the starting points of mutation.
    static func corpus() throws -> [String] {
        var files = Support.files(in: Support.fixturesDirectory.appendingPathComponent("valid"), extensions: ["yaml"])
        let examples = Support.packageRoot.appendingPathComponent("examples")
        if let walker = FileManager.default.enumerator(at: examples, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) && !url.path.contains("/.") {
                files.append(url)
            }
        }
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    /// Fragments a mutation inserts: YAML syntax, anchors, interpolation, odd text.
    static let fragments: [String] = [
        ":", "-", "- ", "{", "}", "[", "]", "\"", "'", "\t", "\n", "  ", "&a ", "*a", "&a [*a, *a]", "${", "${HOOK_SECRET}",
        "${UNSET_VAR}", "}", "#", "? ", "|", ">", "!!str ", "!!binary ", "%YAML 1.2\n", "---\n", "...\n", ",", "\\",
        "é", "🙂", "\u{202E}", "\u{FEFF}", "\u{0}", "\u{7}", "\r", "\r\n", "0x1F", "1e400", "-.inf", ".nan", "~", "null",
        "yes", "no", "<<: *a", "select: all", "local_storage: ", "webhook: ", "url: ", "channels:", "partner:", "version: 2",
        "https://", "http://example.com/", "{channel_id}", "{client_id}",
    ]

    static func mutate(_ text: String, using generator: inout SplitMix) -> String {
        var bytes = Array(text.utf8)
        let mutations = Int.random(in: 1...4, using: &generator)
        for _ in 0..<mutations {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
            switch Int.random(in: 0..<8, using: &generator) {
            case 0 where !bytes.isEmpty:  // flip a bit
                let index = min(position, bytes.count - 1)
                bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
            case 1 where !bytes.isEmpty:  // delete a run
                let length = Int.random(in: 1...16, using: &generator)
                bytes.removeSubrange(min(position, bytes.count)..<min(position + length, bytes.count))
            case 2:  // a very long line
                let fragment = fragments.randomElement(using: &generator)!
                bytes.insert(
                    contentsOf: Array(String(repeating: "x" + fragment, count: Int.random(in: 200...2_000, using: &generator)).utf8),
                    at: position)
            case 3 where !bytes.isEmpty:  // duplicate a slice somewhere else
                let start = Int.random(in: 0..<bytes.count, using: &generator)
                let slice = Array(bytes[start..<min(bytes.count, start + Int.random(in: 1...80, using: &generator))])
                bytes.insert(contentsOf: slice, at: position)
            case 4 where !bytes.isEmpty:  // a random byte
                bytes[min(position, bytes.count - 1)] = UInt8.random(in: 0...255, using: &generator)
            default:  // insert a fragment
                bytes.insert(contentsOf: Array(fragments.randomElement(using: &generator)!.utf8), at: position)
            }
        }
        // Invalid UTF-8 goes in as the replacement character, as a file read would not:
        // the byte-level path is covered by HostileInputTests.garbage.
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("10,000 mutated documents: each loads or gets a located error, never a crash")
    func mutatedDocuments() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 5, "fixtures and examples were found")
        var generator = SplitMix(seed: 0x7AB1_F0A2)
        var loaded = 0, rejected = 0
        let start = ContinuousClock.now
        for index in 0..<Self.documentCount {
            let document = Self.mutate(corpus[index % corpus.count], using: &generator)
            let path = "fuzz-\(index).yaml"
            let result = ConfigLoader.load(sources: [(path: path, text: document)], environment: Support.environment)
            let errors = result.diagnostics.filter(\.isError)
            if result.config != nil {
                loaded += 1
                #expect(errors.isEmpty)
            } else {
                rejected += 1
                let located = errors.filter { $0.location.file == path && $0.location.line >= 0 && $0.location.column >= 0 }
                #expect(!located.isEmpty, "document \(index) was rejected without a located error: \(result.diagnostics)")
                if located.isEmpty { break }
            }
            for secret in Support.secretValues {
                let leaking = result.diagnostics.filter { $0.message.contains(secret) || ($0.excerpt?.line.contains(secret) ?? false) }
                #expect(leaking.isEmpty, "document \(index): a diagnostic holds a secret: \(leaking)\n\(document.prefix(600))")
            }
        }
        let elapsed = ContinuousClock.now - start
        print("wabaform-fuzz: \(Self.documentCount) documents, \(loaded) loaded, \(rejected) rejected with a located error, \(elapsed)")
        #expect(loaded + rejected == Self.documentCount)
        #expect(loaded > 0 && rejected > 0, "the mutator both keeps and breaks documents")
    }

    /// Found by the fuzzer: a variable expanded inside a placeholder's braces was quoted
    /// back in the "unknown placeholder" error, secret value and all.
    @Test("an unknown placeholder made by a variable does not quote its value")
    func placeholderFromVariable() {
        let yaml = """
            version: 1
            partner: { id: p }
            channels:
              - select: all
                webhook: { url: "https://{c${HOOK_SECRET}lient_id}.example.com/wa" }
            """
        let result = Support.load(yaml)
        #expect(result.config == nil)
        #expect(result.diagnostics.contains { $0.isError && $0.message.contains("${HOOK_SECRET}") })
        for diagnostic in result.diagnostics { #expect(!diagnostic.message.contains("s3cr3t-hook-value"), "\(diagnostic.message)") }
    }

    /// Found by the 100,000-document soak: a variable expanded inside a URL's scheme was
    /// quoted back in "must use https, not …"; likewise a port.
    @Test(
        "a URL scheme or port made from a variable is not quoted back",
        arguments: [
            "ht${HOOK_SECRET}tps://hooks.example.com/wa", "https://hooks.example.com:4${HOOK_SECRET}3/wa",
        ])
    func urlPartFromVariable(_ url: String) {
        for yaml in [
            "version: 1\npartner: { id: p, webhook_url: \"\(url)\" }\n",
            "version: 1\npartner: { id: p }\nchannels:\n  - select: all\n    webhook: { url: \"\(url)\" }\n",
        ] {
            let result = Support.load(yaml)
            #expect(result.config == nil)
            #expect(result.diagnostics.contains { $0.isError && $0.message.contains("${HOOK_SECRET}") }, "\(result.diagnostics)")
            for diagnostic in result.diagnostics { #expect(!diagnostic.message.contains("s3cr3t-hook-value"), "\(diagnostic.message)") }
        }
    }

    /// HostileInputTests.billionLaughs bounds the time; this bounds the memory: the peak
    /// resident size of the test process may not grow by more than 256 MiB while a billion
    /// laughs is loaded (expanding it would need tens of GiB).
    @Test("a billion laughs is rejected with bounded memory")
    func billionLaughsMemory() {
        func peakKiB() -> Int {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Int(usage.ru_maxrss)
        }
        let before = peakKiB()
        let result = Support.load(HostileInputTests.laughs + "channels: *l9\n")
        let grown = peakKiB() - before
        #expect(result.config == nil)
        #expect(result.diagnostics.contains { $0.isError && $0.message.contains("once aliases are expanded") })
        #expect(grown < 256 * 1024, "peak memory grew by \(grown) KiB")
    }
}
