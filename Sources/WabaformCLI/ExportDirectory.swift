import Foundation
import WabaformConfig
import WabaformCore

/// `export --out DIR`: the export as the config files of a directory, which `plan -f DIR`
/// reads together. wabaform reads config files of at most 5 MiB, so an export larger than
/// that (a fleet of 100,000 varied channels: 7.4 MiB) can only be written this way.
///
/// Every config file in the directory is read with the export, so the directory may hold no
/// other one; an earlier export's files (`wabaform.yaml`, `wabaform-NNN.yaml`) are replaced
/// only with `--force`, and those this export no longer needs are then removed.
enum ExportDirectory {
    /// Whether `out` names a directory: a path ending in `/`, or an existing directory.
    static func isDirectory(_ out: String) -> Bool {
        if out.hasSuffix("/") { return true }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether `name` is a file an export writes: `wabaform.yaml` or `wabaform-NNN.yaml`.
    static func isExportFile(_ name: String) -> Bool {
        if name == ConfigLoader.defaultFileName { return true }
        guard name.hasPrefix("wabaform-"), name.hasSuffix(".yaml") else { return false }
        let digits = name.dropFirst("wabaform-".count).dropLast(".yaml".count)
        return digits.count >= 3 && digits.allSatisfy { ("0"..."9").contains($0) }
    }

    /// Why the export may not be written into `out`; nil when it may.
    static func refusal(_ out: String, force: Bool, inputs: [String]) -> String? {
        let files = ConfigLoader.configFileNames(inDirectory: out)
        let others = files.filter { !isExportFile($0) }
        if !others.isEmpty {
            return "\(out) holds other config files (\(list(others))), which plan -f \(out) would read with the export; "
                + "export into a new or empty directory"
        }
        let inputPaths = Set(inputs.map(OutputFile.canonical))
        if let input = files.first(where: { inputPaths.contains(OutputFile.canonical(path(out, $0))) }) {
            return "\(path(out, input)) is an input of this run; refusing to overwrite it: export into another directory"
        }
        if !force, !files.isEmpty { return "\(out) already holds an export (\(list(files))); pass --force to replace it" }
        return nil
    }

    /// Writes each part (atomically, 0644 less the umask for a new file: header values are
    /// `${VARIABLES}`); then removes an earlier export's files that this one does not have.
    static func write(_ parts: [Exporter.Part], to out: String, force: Bool, inputs: [String]) throws {
        if let refusal = refusal(out, force: force, inputs: inputs) { throw OutputFile.Failure(description: refusal) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let mask = umask(0)
        umask(mask)
        for part in parts { try OutputFile.write(Data(part.text.utf8), to: path(out, part.name), newFileMode: 0o644 & ~mask) }
        let written = Set(parts.map(\.name))
        for stale in ConfigLoader.configFileNames(inDirectory: out) where isExportFile(stale) && !written.contains(stale) {
            try FileManager.default.removeItem(atPath: path(out, stale))
        }
    }

    private static func path(_ directory: String, _ name: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + name
    }

    private static func list(_ names: [String]) -> String {
        names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", and \(names.count - 3) more" : "")
    }
}
