import Foundation
import WabaformConfig

/// Files the commands write (`plan --out`, `export --out`): never one of the run's inputs,
/// written atomically, a new file with the given mode (0600 for anything that may help
/// an attacker), an existing file keeping its mode.
enum OutputFile {
    /// The input files of a run: the config files `paths` names (or, when `defaultConfig`,
    /// `wabaform.yaml`), each `*.yaml`/`*.yml` of a named directory, and the channel keys file.
    static func inputs(paths: [String], defaultConfig: Bool, channelKeysFile: String?, workingDirectory: String) -> [String] {
        var inputs: [String] = []
        for path in paths.isEmpty && defaultConfig ? [ConfigLoader.defaultFileName] : paths {
            let absolute = resolve(path, in: workingDirectory)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
                inputs += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { absolute + "/" + $0 }
            } else {
                inputs.append(absolute)
            }
        }
        if let channelKeysFile, !channelKeysFile.isEmpty { inputs.append(resolve(channelKeysFile, in: workingDirectory)) }
        return inputs
    }

    /// A message when `out` is one of `inputs` (compared as resolved paths: `./x`, `../d/x`
    /// and symlinks name the same file); nil when it is not.
    static func refusal(out: String, inputs: [String], workingDirectory: String) -> String? {
        let target = canonical(resolve(out, in: workingDirectory))
        guard inputs.contains(where: { canonical($0) == target }) else { return nil }
        return "--out \(out) is an input of this run (a config or channel keys file); refusing to overwrite it: name another file"
    }

    /// Writes `data` to `path` atomically (a temporary file beside it, synced, renamed). A new
    /// file gets `newFileMode`; an existing one keeps its mode. A symlink is followed.
    static func write(_ data: Data, to path: String, newFileMode: mode_t) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var info = stat()
        let mode: mode_t = stat(target, &info) == 0 ? info.st_mode & 0o7777 : newFileMode
        let directory = (target as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((target as NSString).lastPathComponent).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, target) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw Failure(description: failure)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory + path : directory + "/" + path)
    }

    /// `path` as one name for one file: `./x`, `../d/x` and symlinks resolved.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
