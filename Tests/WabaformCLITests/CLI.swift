import Foundation
import Testing
import WabaformTestSupport

/// Runs the built `wabaform` executable (or any program) as a user would.
enum CLI {
    struct Result {
        var exitCode: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func executable() throws -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wabaform")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let fallback = packageRoot.appendingPathComponent(".build/debug/wabaform")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw Failure(description: "wabaform executable not found beside \(beside.path) or at \(fallback.path)")
        }
        return fallback
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A process with a clean environment (PATH, HOME) plus `environment`, not yet started.
    static func process(_ executable: URL, _ arguments: [String], in directory: String?, environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? packageRoot.path)
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { _, new in new }
        process.environment = env
        return process
    }

    /// Runs a process to the end with `stdin` as its input, collecting both output streams
    /// concurrently so a full pipe never blocks the child.
    static func collect(_ process: Process, stdin: String?) throws -> Result {
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            exitCode: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `wabaform ARGS` in `directory` with a clean environment plus `environment`.
    static func run(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], stdin: String? = nil
    ) throws -> Result {
        try collect(process(try executable(), arguments, in: directory, environment: environment), stdin: stdin)
    }

    /// `run`, off the cooperative thread pool, for tests that also serve a sandbox in-process.
    static func runAsync(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], stdin: String? = nil
    ) async throws -> Result {
        let executable = try executable()
        return try await offPool { try collect(process(executable, arguments, in: directory, environment: environment), stdin: stdin) }
    }

    /// Runs any program (e.g. `bash script.sh`) off the cooperative pool.
    static func runProgram(
        _ executable: String, _ arguments: [String], in directory: String, environment: [String: String]
    ) async throws -> Result {
        try await offPool {
            try collect(process(URL(fileURLWithPath: executable), arguments, in: directory, environment: environment), stdin: nil)
        }
    }

    /// Starts `wabaform ARGS` and returns at once; output is discarded.
    static func start(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Process {
        let process = process(try executable(), arguments, in: directory, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Blocking work on a Dispatch thread, so it never occupies one of the few cooperative threads.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }

    static func temporaryDirectory() throws -> String {
        try Scratch.directory("cli")
    }
}
