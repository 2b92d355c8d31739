import ArgumentParser

enum WabaformCommands {
    static let all: [any ParsableCommand.Type] = [ValidateCommand.self, SandboxCommand.self]
}
