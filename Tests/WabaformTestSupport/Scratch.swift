import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where tests write files: fresh directories under one root per test process,
/// `$TMPDIR/wabaform-tests-<pid>`, removed with everything in it when the process exits.
/// A run that was killed leaves its root behind; the next run removes the roots of processes
/// that no longer exist (never one whose process is alive: two clones may test at once).
public enum Scratch {
    /// A new, empty directory; `label` shows in its name, for a human reading `$TMPDIR`.
    public static func directory(_ label: String = "test") throws -> String {
        let path = root + "/" + label + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A fresh path under the root, not created: for what makes its own directory.
    public static func path(_ label: String = "test") -> String { root + "/" + label + "-" + UUID().uuidString }

    /// A path for a file named `name` in a new directory (the file is not created).
    public static func file(_ name: String, label: String = "test") throws -> String {
        try directory(label) + "/" + name
    }

    /// This process's root, made (and stale roots removed) on first use.
    public static var root: String { made }

    private static let prefix = "wabaform-tests-"

    private static var temporary: String {
        let path = NSTemporaryDirectory()
        return path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    private static let made: String = {
        removeStaleRoots()
        let path = temporary + "/" + prefix + String(getpid())
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { Scratch.removeOwnRoot() }
        return path
    }()

    private static func removeOwnRoot() {
        try? FileManager.default.removeItem(atPath: temporary + "/" + prefix + String(getpid()))
    }

    /// Roots named for a process that no longer exists.
    public static func removeStaleRoots() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { try? FileManager.default.removeItem(atPath: temporary + "/" + name) }
        }
    }
}
