import Foundation

/// The examples under `examples/`: each directory's wabaform config is its `wabaform.yaml`,
/// or its `wabaform/` directory.
enum Examples {
    static let root = CLI.packageRoot.appendingPathComponent("examples")

    /// Variables the examples read that the sandbox does not set.
    static let environment = ["HOOK_SECRET": "example-hook-secret", "WABAFORM_PARTNER_ID": "demoPA"]

    static func configs() throws -> [(name: String, config: String)] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().compactMap { name in
            let directory = root.appendingPathComponent(name)
            for candidate in ["wabaform.yaml", "wabaform"]
            where FileManager.default.fileExists(atPath: directory.appendingPathComponent(candidate).path) {
                return (name, directory.appendingPathComponent(candidate).path)
            }
            return nil
        }
    }
}
