import Foundation
import Testing
import WabaformTestSupport

/// The suite's temporary files: they once piled up in `$TMPDIR` by the thousand.
@Suite struct ScratchTests {
    /// A started process's pid, and a way to end it.
    static func spawn(_ path: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        try process.run()
        return process
    }

    @Test("directories are fresh and under this process's root")
    func freshDirectories() throws {
        let first = try Scratch.directory("a"), second = try Scratch.directory("a")
        #expect(first != second)
        #expect(first.hasPrefix(Scratch.root + "/a-") && second.hasPrefix(Scratch.root + "/a-"))
        #expect(Scratch.root.hasSuffix("/wabaform-tests-\(ProcessInfo.processInfo.processIdentifier)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: first).isEmpty)
        let file = try Scratch.file("x.json")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(FileManager.default.fileExists(atPath: (file as NSString).deletingLastPathComponent))
    }

    @Test("a root left by a process that is gone is removed; one of a live process is kept")
    func staleRootsGo() throws {
        let temporary = (Scratch.root as NSString).deletingLastPathComponent
        let ended = try Self.spawn("/bin/sh", ["-c", "exit 0"])
        ended.waitUntilExit()
        let running = try Self.spawn("/bin/sleep", ["30"])
        defer { running.terminate() }
        let gone = temporary + "/wabaform-tests-\(ended.processIdentifier)"
        let alive = temporary + "/wabaform-tests-\(running.processIdentifier)"
        for root in [gone, alive] { try FileManager.default.createDirectory(atPath: root + "/cli-1", withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: alive) }
        Scratch.removeStaleRoots()
        #expect(!FileManager.default.fileExists(atPath: gone))
        #expect(FileManager.default.fileExists(atPath: alive + "/cli-1"))
        #expect(FileManager.default.fileExists(atPath: Scratch.root))
    }
}
