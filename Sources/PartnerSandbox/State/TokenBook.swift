import Synchronization

/// Bearer tokens issued by `POST /token`, each valid for `lifetime`. Kept in memory only:
/// a restarted sandbox forgets them, and clients fetch a new one, as after expiry.
final class TokenBook: Sendable {
    let lifetime: Duration
    private let issued = Mutex<(serial: Int, expiry: [String: ContinuousClock.Instant])>((0, [:]))
    private let salt: String

    init(lifetime: Duration, salt: String) {
        self.lifetime = lifetime
        self.salt = salt
    }

    var lifetimeSeconds: Int {
        let (seconds, attoseconds) = lifetime.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }

    func issue() -> (access: String, refresh: String) {
        issued.withLock { book in
            book.serial += 1
            let access = SandboxKeys.token(serial: book.serial, salt: salt)
            book.expiry[access] = .now + lifetime
            return (access, SandboxKeys.token(serial: book.serial, salt: salt + ":refresh"))
        }
    }

    /// Whether `token` was issued here and has not expired.
    func isValid(_ token: String) -> Bool {
        issued.withLock { book in
            guard let expiry = book.expiry[token] else { return false }
            return ContinuousClock.now < expiry
        }
    }
}
