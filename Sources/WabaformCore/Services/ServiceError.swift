/// Why a service could not do all that was asked, beside the config's diagnostics. Its
/// description is the message for the user (never a secret; `error: ` is the command's
/// prefix); its case says whose it is to act: the user's (`usage`, `strict`), the API's or
/// the network's (`api`, `connection`, `failed`), nobody's (`cancelled`), or wabaform's
/// (`bug`: the message asks for a report).
public enum ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input cannot be used as given: no partner id, a bad `--target`, missing or
    /// malformed credentials or channel-key settings, a saved plan that cannot be used.
    case usage(String)
    /// A warning that `--strict` makes an error (the warning's own words).
    case strict(String)
    /// The API answered with an error (the operation, status, message and trace id).
    case api(APIError)
    /// No usable answer: the network, TLS, a timeout, an answer in an unusable form.
    case connection(APIConnectionError)
    /// Something outside wabaform went wrong that is neither: a channel list that changed
    /// while paged, a read that failed after every retry, a lock that could not be taken.
    case failed(String)
    /// Stopped by cancellation (Ctrl-C, the run's deadline) before the work was done.
    case cancelled
    /// wabaform's own fault; nothing was written because of it.
    case bug(String)

    /// Anything reading or writing live state can throw, as the outcome it is.
    public init(_ error: any Error) {
        switch error {
        case let error as ServiceError: self = error
        case is CancellationError: self = .cancelled
        case let error as APIError: self = .api(error)
        case let error as APIConnectionError: self = .connection(error)
        case let error as ConnectionSettings.Invalid: self = .usage(error.description)
        default: self = .failed("\(error)")
        }
    }

    /// The user can fix it by changing the config, the flags or the environment.
    public var isUserError: Bool {
        switch self {
        case .usage, .strict: true
        case .api, .connection, .failed, .cancelled, .bug: false
        }
    }

    public var description: String {
        switch self {
        case .usage(let message), .failed(let message), .bug(let message): message
        case .strict(let message): message + " (an error with --strict)"
        case .connection(let error): error.description
        case .cancelled: "cancelled"
        case .api(let error):
            switch error.status {
            case 401: "\(error); check the partner key in WABAFORM_API_KEY (or WABAFORM_USERNAME and WABAFORM_PASSWORD)"
            case 403:
                "\(error); the credentials in WABAFORM_API_KEY do not give access to this partner: check partner.id (or WABAFORM_PARTNER_ID)"
            default: error.description
            }
        }
    }
}
