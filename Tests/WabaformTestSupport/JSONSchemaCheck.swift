import Foundation

/// Validates with Python's jsonschema (Draft 2020-12), a real validator. CI installs it.
public enum JSONSchemaCheck {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// nil when valid, else the validator's message.
    public static func validate(schema: String, instance: String) throws -> String? {
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("MISSING"); sys.exit(3)
            schema = json.load(open(sys.argv[1])); instance = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(instance), key=lambda e: list(e.path))
            print("\\n".join(e.message for e in errors)); sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema, instance]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 3 {
            throw Missing(description: "python3 with jsonschema is needed: pip install jsonschema")
        }
        return process.terminationStatus == 0 ? nil : output
    }
}
