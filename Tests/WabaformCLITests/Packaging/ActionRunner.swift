import Foundation
import Testing

/// Runs the composite steps of action.yml as GitHub's runner does, for what the action uses:
/// `shell: bash` steps run as `bash --noprofile --norc -eo pipefail FILE`, `${{ inputs.NAME }}`
/// and `${{ steps.ID.outputs.NAME }}` expressions, $GITHUB_ACTION_PATH, $RUNNER_TEMP, $GITHUB_PATH
/// (prepended to PATH for later steps) and $GITHUB_OUTPUT (a step's outputs). Anything else in
/// the action is an error here, so the action cannot quietly depend on what this does not model.
struct ActionRunner {
    struct Outcome {
        var exitCode: Int32
        var stdout: String
        var stderr: String
        var outputs: [String: String]
    }

    struct Unsupported: Error, CustomStringConvertible { var description: String }

    var actionPath = CLI.packageRoot.path
    /// The job's working directory (the checked-out repository).
    var workspace: String
    /// The job's environment: `env:` of the workflow and job.
    var environment: [String: String]
    let runnerTemp: String
    let pathFile: String

    init(workspace: String, environment: [String: String]) throws {
        self.workspace = workspace
        self.environment = environment
        runnerTemp = try CLI.temporaryDirectory()
        pathFile = runnerTemp + "/github_path"
        FileManager.default.createFile(atPath: pathFile, contents: nil)
    }

    /// A YAML file as JSON-like values (python3 with PyYAML, which the tests need anyway).
    static func loadYAML(_ path: String) async throws -> [String: Any] {
        let result = try await CLI.runProgram(
            "/usr/bin/env", ["python3", "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", path],
            in: CLI.packageRoot.path, environment: [:])
        guard result.exitCode == 0 else { throw Unsupported(description: "python3 yaml (pip install pyyaml): \(result.stderr)") }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    static func action() async throws -> [String: Any] {
        try await loadYAML(CLI.packageRoot.appendingPathComponent("action.yml").path)
    }

    /// Runs the action with `inputs` (the workflow step's `with:`) and returns what its steps
    /// printed, the exit code of the last step run and the action's outputs.
    func run(_ inputs: [String: String]) async throws -> Outcome {
        let action = try await Self.action()
        let declared = try #require(action["inputs"] as? [String: [String: Any]])
        var values: [String: String] = [:]
        for (name, spec) in declared {
            if let given = inputs[name] {
                values[name] = given
            } else if spec["required"] as? Bool == true {
                throw Unsupported(description: "required input \(name) not given")
            } else {
                values[name] = spec["default"] as? String ?? ""
            }
        }
        for name in inputs.keys where declared[name] == nil { throw Unsupported(description: "action.yml has no input \(name)") }

        let runs = try #require(action["runs"] as? [String: Any])
        guard runs["using"] as? String == "composite" else { throw Unsupported(description: "not a composite action") }
        let steps = try #require(runs["steps"] as? [[String: Any]])
        var stepOutputs: [String: [String: String]] = [:]
        var outcome = Outcome(exitCode: 0, stdout: "", stderr: "", outputs: [:])
        for (index, step) in steps.enumerated() {
            guard step["shell"] as? String == "bash", let script = step["run"] as? String else {
                throw Unsupported(description: "step \(index) is not a `shell: bash` run step")
            }
            if script.contains("${{") { throw Unsupported(description: "step \(index) splices an expression into its script") }
            var env = environment
            for (name, value) in step["env"] as? [String: String] ?? [:] {
                env[name] = try Self.evaluate(value, inputs: values, steps: stepOutputs)
            }
            let outputFile = runnerTemp + "/output-\(index)"
            FileManager.default.createFile(atPath: outputFile, contents: nil)
            let scriptFile = runnerTemp + "/step-\(index).sh"
            try script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
            let added = try String(contentsOfFile: pathFile, encoding: .utf8).split(separator: "\n").reversed().map(String.init)
            env["PATH"] = (added + [environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]).joined(
                separator: ":")
            env["GITHUB_ACTION_PATH"] = actionPath
            env["RUNNER_TEMP"] = runnerTemp
            env["GITHUB_PATH"] = pathFile
            env["GITHUB_OUTPUT"] = outputFile
            let result = try await CLI.runProgram(
                "/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], in: workspace, environment: env)
            outcome.stdout += result.stdout
            outcome.stderr += result.stderr
            outcome.exitCode = result.exitCode
            if let id = step["id"] as? String {
                let lines = try String(contentsOfFile: outputFile, encoding: .utf8).split(separator: "\n")
                stepOutputs[id] = Dictionary(
                    lines.compactMap { line in
                        line.firstIndex(of: "=").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) }
                    }
                ) { _, last in last }
            }
            if result.exitCode != 0 { return outcome }
        }
        for (name, spec) in action["outputs"] as? [String: [String: Any]] ?? [:] {
            outcome.outputs[name] = try Self.evaluate(spec["value"] as? String ?? "", inputs: values, steps: stepOutputs)
        }
        return outcome
    }

    /// Replaces `${{ inputs.NAME }}` and `${{ steps.ID.outputs.NAME }}`; refuses any other expression.
    static func evaluate(_ text: String, inputs: [String: String], steps: [String: [String: String]]) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw Unsupported(description: "unclosed expression in \(text)")
            }
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let parts = expression.split(separator: ".").map(String.init)
            if parts.count == 2, parts[0] == "inputs", let value = inputs[parts[1]] {
                result += value
            } else if parts.count == 4, parts[0] == "steps", parts[2] == "outputs" {
                result += steps[parts[1]]?[parts[3]] ?? ""
            } else {
                throw Unsupported(description: "expression the test runner does not model: \(expression)")
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
