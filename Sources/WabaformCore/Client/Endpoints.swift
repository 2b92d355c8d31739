import Foundation

/// The base URLs of the Partner API and the Messaging API.
///
/// Each comes from its flag, else its environment variable, else the default. Only
/// `https://` is accepted, except plain `http://` to a loopback host (127.0.0.0/8, ::1,
/// localhost), which is how the sandbox is reached.
public struct Endpoints: Sendable, Equatable {
    /// Partner API base URL, without a trailing slash (`https://hub.360dialog.io/api/v2`).
    public let apiURL: URL
    /// Messaging API base URL, without a trailing slash (`https://waba-v2.360dialog.io`).
    public let messagingURL: URL

    public static let defaultAPIURL = "https://hub.360dialog.io/api/v2"
    public static let defaultMessagingURL = "https://waba-v2.360dialog.io"
    public static let apiURLVariable = "WABAFORM_API_URL"
    public static let messagingURLVariable = "WABAFORM_MESSAGING_URL"

    /// A URL that cannot be used; the message names the flag or variable it came from.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(apiURL: URL, messagingURL: URL) {
        self.apiURL = apiURL
        self.messagingURL = messagingURL
    }

    /// The endpoints the flags (nil when not given) and the environment ask for.
    /// An empty environment variable counts as unset.
    public static func resolve(
        apiURL: String?, messagingURL: String?, environment: [String: String]
    ) throws(Invalid) -> Endpoints {
        func pick(_ flag: String?, flagName: String, variable: String, fallback: String) throws(Invalid) -> URL {
            if let flag { return try validate(flag, source: flagName) }
            if let value = environment[variable], !value.isEmpty { return try validate(value, source: variable) }
            return try validate(fallback, source: "the default")
        }
        return Endpoints(
            apiURL: try pick(apiURL, flagName: "--api-url", variable: apiURLVariable, fallback: defaultAPIURL),
            messagingURL: try pick(
                messagingURL, flagName: "--messaging-url", variable: messagingURLVariable, fallback: defaultMessagingURL))
    }

    /// `string` as a base URL, or an error that starts with `source` (a flag or variable).
    public static func validate(_ string: String, source: String) throws(Invalid) -> URL {
        func fail(_ problem: String) -> Invalid { Invalid(description: "\(source): \(problem)") }
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw fail("is empty; give a base URL such as \(defaultAPIURL)") }
        guard let components = URLComponents(string: trimmed), let rawScheme = components.scheme else {
            throw fail("\"\(trimmed)\" is not a URL; write it as https://host/path")
        }
        let scheme = rawScheme.lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw fail("\"\(trimmed)\" must use https://, not \(scheme)://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw fail("\"\(trimmed)\" has no host; write it as https://host/path")
        }
        guard components.user == nil, components.password == nil else {
            throw fail("must not carry a user name or password; credentials come from WABAFORM_API_KEY")
        }
        guard components.query == nil, components.fragment == nil else {
            throw fail("\"\(trimmed)\" must not have a query or fragment")
        }
        if scheme == "http", !isLoopback(host: host) {
            throw fail(
                "plain http:// is allowed only to loopback addresses (127.0.0.1, ::1, localhost); use https://\(host)")
        }
        var normalized = components
        normalized.scheme = scheme
        while normalized.path.hasSuffix("/") { normalized.path.removeLast() }
        guard let url = normalized.url else { throw fail("\"\(trimmed)\" is not a valid URL") }
        return url
    }

    /// Whether `host` is a loopback address: 127.0.0.0/8, ::1 (bracketed or not), localhost.
    public static func isLoopback(host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "localhost." { return true }
        if host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        let values = octets.compactMap { octet -> Int? in
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), octet.allSatisfy(\.isNumber) else {
                return nil
            }
            return Int(octet).flatMap { (0...255).contains($0) ? $0 : nil }
        }
        return values.count == 4 && values[0] == 127
    }
}
