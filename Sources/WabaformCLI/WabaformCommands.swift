import ArgumentParser

enum WabaformCommands {
    static let all: [any ParsableCommand.Type] = [SandboxCommand.self]
}
