import Foundation
import PartnerSandbox
import Testing

/// Credentials travel only over verified TLS, or plain HTTP to loopback (the sandbox).
@Suite struct TransportSecurityTests {
    /// Plain http:// to a host that is not loopback, through every flag and variable that
    /// takes a URL (PlanCommandTests covers WABAFORM_API_URL, DriftCommandTests a plain
    /// --notify URL); hosts that only look like loopback are not.
    @Test(arguments: [
        ["--api-url", "http://hub.example.com/api/v2"],
        ["--api-url", "http://10.0.0.1/api/v2"],
        ["--api-url", "http://127.0.0.1.example.com/api/v2"],
        ["--api-url", "http://127.0.0.1@evil.example.com/api/v2"],
        ["--api-url", "http://localhost.example.com/api/v2"],
        ["--messaging-url", "http://waba.example.com"],
        ["--messaging-url", "http://[::2]:8080"],
    ])
    func plainHTTPToANonLoopbackHostIsRefused(flags: [String]) async throws {
        let result = try await CLI.runAsync(
            ["plan"] + flags + PlanCommandTests.quickstart,
            environment: ["WABAFORM_API_KEY": "SECRET_KEY_77", "WABAFORM_PARTNER_ID": "demoPA"])
        #expect(result.exitCode == 1, "\(flags): \(result.stderr)")
        // A URL with user info is refused for that first (it would carry a credential).
        #expect(
            result.stderr.contains("plain http:// is allowed only to loopback") || result.stderr.contains("must not carry a user name"),
            "\(flags): \(result.stderr)")
        #expect(!result.stderr.contains("SECRET_KEY_77"))
    }

    @Test func plainHTTPMessagingURLFromTheEnvironmentIsRefused() async throws {
        let result = try await CLI.runAsync(
            ["plan"] + PlanCommandTests.quickstart,
            environment: ["WABAFORM_API_KEY": "k", "WABAFORM_PARTNER_ID": "demoPA", "WABAFORM_MESSAGING_URL": "http://waba.example.com"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("WABAFORM_MESSAGING_URL"), "\(result.stderr)")
    }

    @Test(arguments: ["http://hooks.example.com/x", "http://192.168.1.10/x"])
    func driftNotifyRefusesPlainHTTPBeforeReadingAnything(url: String) async throws {
        let result = try await CLI.runAsync(
            ["drift", "--notify", url] + PlanCommandTests.quickstart,
            environment: ["WABAFORM_API_KEY": "k", "WABAFORM_PARTNER_ID": "demoPA", "WABAFORM_API_URL": "https://127.0.0.1:1/api/v2"])
        #expect(result.exitCode == 1, "\(result.stderr)")
        #expect(result.stderr.contains("http://"), "\(result.stderr)")
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw CLI.Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A TLS server with a self-signed certificate for 127.0.0.1 (made by openssl now): the
    /// client must refuse it. If verification were off, the request would reach the server
    /// and fail differently (its answer is an HTML status page), so this can fail.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func aSelfSignedCertificateIsRefused() async throws {
        let directory = try CLI.temporaryDirectory()
        let made = try await CLI.runProgram(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ],
            in: directory, environment: [:])
        try #require(made.exitCode == 0, "\(made.stderr)")
        let port = try Self.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "cert.pem", "-key", "key.pem", "-www", "-quiet"]
        server.currentDirectoryURL = URL(fileURLWithPath: directory)
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // s_server ignores SIGTERM while it waits for a connection.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try await Task.sleep(for: .milliseconds(800))
        #expect(server.isRunning, "openssl s_server is serving on \(port)")
        let result = try await CLI.runAsync(
            ["plan", "--timeout", "5", "--api-url", "https://127.0.0.1:\(port)/api/v2", "--messaging-url", "https://127.0.0.1:\(port)"]
                + PlanCommandTests.quickstart,
            environment: ["WABAFORM_API_KEY": "TLS_SECRET_KEY_31", "WABAFORM_PARTNER_ID": "demoPA"])
        print("wabaform-tls: \(result.stderr)")
        #expect(result.exitCode == 1, "\(result.stderr)")
        #expect(result.stderr.contains("TLS certificate could not be verified"), "the error names the certificate: \(result.stderr)")
        #expect(!result.stderr.contains("/checkouts/"), "no build paths in the message")
        #expect(!result.stderr.contains("TLS_SECRET_KEY_31"))
    }
}
