import Foundation

/// Writes a file so that a reader, or a process killed at any moment, sees either the old
/// content or the new, never a mix: write a temporary file beside it, sync, rename.
/// The files hold keys and passwords: a new one is created 0600 (owner only); an existing
/// one keeps its mode.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        var info = stat()
        let mode: mode_t = stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0o600
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            chmod(temporary.path, mode) == 0
        else {
            throw SandboxStore.StoreError.unwritable(path: temporary.path, reason: "cannot create")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw SandboxStore.StoreError.unwritable(path: path, reason: reason)
        }
    }
}
