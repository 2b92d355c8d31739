import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One state file, one sandbox: an exclusive `flock` on `<state file>.lock`, taken before the
/// state is read and held while the sandbox serves. A second sandbox on the same file — another
/// process (`wabaform sandbox`, `--sandbox`) or another in this one — is refused before it reads
/// or writes anything, with the holder's pid, so neither overwrites the other's acknowledged
/// changes. The lock is on a file of its own because compaction renames a new state file into
/// place, and a lock on the old one would not hold for the new. The kernel drops the lock when
/// the holder exits, however it exits, so a stale `.lock` file never blocks anyone.
final class StateFileLock: Sendable {
    let path: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// Takes the lock for `statePath`, or throws `StoreError.locked` naming the holder.
    static func acquire(statePath: String) throws -> StateFileLock {
        let path = statePath + ".lock"
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SandboxStore.StoreError.unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = Self.holder(of: fd)
            close(fd)
            if reason == EWOULDBLOCK {
                throw SandboxStore.StoreError.locked(path: statePath, holder: holder)
            }
            throw SandboxStore.StoreError.unwritable(path: path, reason: String(cString: strerror(reason)))
        }
        // The holder's pid, for the message a refused sandbox prints.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return StateFileLock(path: path, descriptor: fd)
    }

    /// The pid written by the process that holds the lock, if it reads as one.
    private static func holder(of fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }

    /// Gives the lock up (idempotent). The file stays: removing it would let a third process
    /// lock a new file while a second still waits on the old one.
    func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            _ = flock(open, LOCK_UN)
            close(open)
            fd = nil
        }
    }

    deinit { release() }
}
