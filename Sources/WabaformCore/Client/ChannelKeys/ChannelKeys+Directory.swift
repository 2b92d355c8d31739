import Foundation
import PartnerAPIRules

/// A directory of key files: each file is named by a channel id and holds its key — the
/// layout of a Kubernetes Secret mounted as a volume and of Docker secrets.
///
/// Kubernetes mounts each key as a symlink (`acme01CH -> ..data/acme01CH`) into a hidden,
/// timestamped directory that it swaps atomically on update; entries whose names start with
/// `.` (`..data`, `..2026_…`) are skipped and symlinks are followed. A trailing line break
/// is not part of the key (`echo key > file`).
extension ChannelKeys {
    /// Larger files are not keys; refused before they are read.
    static let maxKeyFileBytes = 64 * 1024

    static func readDirectory(_ path: String, label: String) throws(LoadError) -> [String: Entry] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw LoadError(description: "cannot read the channel keys directory \(label): it cannot be listed")
        }
        var entries: [String: Entry] = [:]
        for name in names.sorted() where !name.hasPrefix(".") {
            let file = (path as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            // fileExists follows symlinks: a dangling one, or a subdirectory, holds no key.
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let key = try readKeyFile(file, name: name, label: label)
            entries[name] = Entry(key: key, source: file)
        }
        return entries
    }

    private static func readKeyFile(_ file: String, name: String, label: String) throws(LoadError) -> Secret {
        func fail(_ problem: String) -> LoadError {
            LoadError(description: "channel keys directory \(label): the file for channel \(name) \(problem)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxKeyFileBytes else { throw fail("is larger than \(maxKeyFileBytes / 1024) KiB, so it is not a key") }
        guard let data = FileManager.default.contents(atPath: file) else { throw fail("cannot be read") }
        guard var text = String(data: data, encoding: .utf8) else { throw fail("is not UTF-8 text") }
        while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
        guard !text.isEmpty else { throw fail("is empty") }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw fail("holds more than one line or a control character, so it is not a key")
        }
        return Secret(text)
    }
}
