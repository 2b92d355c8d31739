import ArgumentParser

enum WabaformCommands {
    static let all: [any ParsableCommand.Type] = [
        ValidateCommand.self, PlanCommand.self, ApplyCommand.self, DriftCommand.self, ExportCommand.self, DoctorCommand.self,
        SandboxCommand.self,
    ]
}
