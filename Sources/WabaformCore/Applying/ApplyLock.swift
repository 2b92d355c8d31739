import Crypto
import Foundation

/// An advisory lock per partner on this machine, so two `apply` runs of one partner never
/// write at once (two runs 0.2 s apart used to send every local storage change twice).
///
/// The lock is `flock` on a file in `$XDG_RUNTIME_DIR/wabaform` (else
/// `$TMPDIR/wabaform-<uid>`), one per partner. The kernel releases it when its holder exits,
/// however it exits, so a lock left by a dead process is simply taken over. The holder
/// writes its pid, host and start time into the file, so a second run can say who holds it.
public final class ApplyLock: Sendable {
    public struct Settings: Sendable {
        /// Where lock files live; nil = the default directory.
        public var directory: String?
        /// How long a second apply waits for the lock before giving up (exit 4).
        public var wait: Duration

        public init(directory: String? = nil, wait: Duration = .seconds(30)) {
            self.directory = directory
            self.wait = wait
        }
    }

    /// The lock is held by another process, or could not be taken at all.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// The default directory: `$XDG_RUNTIME_DIR/wabaform`, else `$TMPDIR/wabaform-<uid>`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/wabaform" }
        let temporary = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return temporary.trimmingSuffix("/") + "/wabaform-\(getuid())"
    }

    /// The lock file of a partner: readable name, plus a digest so any id maps to one safe name.
    static func fileName(partnerID: String) -> String {
        let safe = String(
            partnerID.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }.prefix(40)
        )
        let hash = SHA256.hash(data: Data(partnerID.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "apply-\(safe)-\(hash).lock"
    }

    /// Takes the lock of `partnerID`, waiting up to `settings.wait` (polling, on real time)
    /// while another process holds it. `onWait` is called once if it has to wait, with the
    /// holder's description.
    public static func acquire(
        partnerID: String, settings: Settings, environment: [String: String], onWait: @Sendable (String) -> Void = { _ in }
    ) async throws -> ApplyLock {
        let directory = settings.directory ?? defaultDirectory(environment: environment)
        let path = directory + "/" + fileName(partnerID: partnerID)
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Unavailable(description: "cannot create the lock directory \(directory): \(error.localizedDescription)")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Unavailable(description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        let start = ContinuousClock.now
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.holder(path: path)
            guard ContinuousClock.now - start < settings.wait else {
                close(descriptor)
                throw Unavailable(
                    description:
                        "another apply for partner \(partnerID) is running (\(holder)); waited \(APIConnectionError.format(settings.wait)) for it; run apply again when it has finished (lock file \(path))"
                )
            }
            if !announced {
                announced = true
                onWait(holder)
            }
            do { try await Task.sleep(for: .milliseconds(200)) } catch {
                close(descriptor)
                throw error
            }
        }
        let lock = ApplyLock(path: path, descriptor: descriptor)
        lock.writeHolder(partnerID: partnerID)
        return lock
    }

    /// Who holds the lock, from its file: "pid 123 on host h, since 2026-…".
    static func holder(path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let pid = object["pid"] as? Int
        else { return "its holder has not written its name yet" }
        let host = (object["host"] as? String).map(Self.printable) ?? "an unknown host"
        let since = (object["since"] as? String).map(Self.printable) ?? "an unknown time"
        return "pid \(pid) on host \(host), since \(since)"
    }

    /// The file is anyone's to write: control and format characters in it are shown escaped.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(200) {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private func writeHolder(partnerID: String) {
        let formatter = ISO8601DateFormatter()
        let holder: [String: Any] = [
            "pid": Int(getpid()), "host": ProcessInfo.processInfo.hostName, "since": formatter.string(from: Date()),
            "partner_id": partnerID, "command": "wabaform apply",
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: holder, options: [.sortedKeys]) else { return }
        _ = ftruncate(descriptor, 0)
        _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Releases the lock (the file stays, emptied, for the next run).
    public func release() {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
