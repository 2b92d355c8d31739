import PartnerAPIRules
import Testing
@testable import WabaformCore

@Suite("Endpoints and partner credentials")
struct EndpointsTests {
    @Test("defaults, then the environment, then the flag")
    func precedence() throws {
        let defaults = try Endpoints.resolve(apiURL: nil, messagingURL: nil, environment: [:])
        #expect(defaults.apiURL.absoluteString == "https://hub.360dialog.io/api/v2")
        #expect(defaults.messagingURL.absoluteString == "https://waba-v2.360dialog.io")

        let environment = ["WABAFORM_API_URL": "https://env.example.com/api/v2/", "WABAFORM_MESSAGING_URL": "https://msg.example.com"]
        let fromEnvironment = try Endpoints.resolve(apiURL: nil, messagingURL: nil, environment: environment)
        #expect(fromEnvironment.apiURL.absoluteString == "https://env.example.com/api/v2")
        #expect(fromEnvironment.messagingURL.absoluteString == "https://msg.example.com")

        let fromFlags = try Endpoints.resolve(
            apiURL: "https://flag.example.com/api/v2", messagingURL: nil, environment: environment)
        #expect(fromFlags.apiURL.absoluteString == "https://flag.example.com/api/v2")
        #expect(fromFlags.messagingURL.absoluteString == "https://msg.example.com")

        let emptyVariable = try Endpoints.resolve(apiURL: nil, messagingURL: nil, environment: ["WABAFORM_API_URL": ""])
        #expect(emptyVariable.apiURL.absoluteString == Endpoints.defaultAPIURL)
    }

    @Test(
        "plain http is accepted to loopback",
        arguments: [
            "http://127.0.0.1:8360/api/v2", "http://127.1.2.3:80", "http://localhost:8360", "http://[::1]:8360", "HTTP://LOCALHOST",
        ])
    func loopbackHTTP(url: String) throws {
        _ = try Endpoints.resolve(apiURL: url, messagingURL: nil, environment: [:])
    }

    @Test(
        "plain http is refused elsewhere, naming the flag or variable",
        arguments: [
            "http://hub.360dialog.io/api/v2", "http://128.0.0.1", "http://10.0.0.1", "http://127.0.0.1.example.com",
            "http://localhost.example.com",
        ])
    func nonLoopbackHTTP(url: String) {
        #expect {
            _ = try Endpoints.resolve(apiURL: url, messagingURL: nil, environment: [:])
        } throws: { error in
            "\(error)".hasPrefix("--api-url: plain http:// is allowed only to loopback")
        }
        #expect {
            _ = try Endpoints.resolve(apiURL: nil, messagingURL: nil, environment: ["WABAFORM_MESSAGING_URL": url])
        } throws: { error in
            "\(error)".hasPrefix("WABAFORM_MESSAGING_URL: plain http://")
        }
    }

    @Test(
        "malformed URLs are refused with a reason",
        arguments: [
            ("", "is empty"), ("hub.360dialog.io", "is not a URL"), ("ftp://hub.example.com", "must use https://"),
            ("https://user:pw@hub.example.com", "must not carry a user name or password"),
            ("https://hub.example.com/api?x=1", "must not have a query"),
        ])
    func malformed(url: String, problem: String) {
        #expect {
            _ = try Endpoints.resolve(apiURL: url, messagingURL: nil, environment: [:])
        } throws: { error in
            "\(error)".hasPrefix("--api-url: ") && "\(error)".contains(problem)
        }
    }

    @Test("a partner key wins; username and password are deprecated")
    func credentials() throws {
        let key = try PartnerCredentials.resolve(environment: ["WABAFORM_API_KEY": "k-123", "WABAFORM_USERNAME": "u"])
        #expect(key == .apiKey(Secret("k-123")))
        #expect(key.deprecationWarning == nil)

        let password = try PartnerCredentials.resolve(environment: ["WABAFORM_USERNAME": "ops@x", "WABAFORM_PASSWORD": "pw-999"])
        #expect(password == .password(username: "ops@x", password: Secret("pw-999")))
        #expect(password.deprecationWarning?.contains("WABAFORM_API_KEY") == true)
        #expect(!"\(password)".contains("pw-999"))
    }

    @Test(
        "missing credentials name WABAFORM_API_KEY",
        arguments: [
            [:], ["WABAFORM_API_KEY": ""], ["WABAFORM_USERNAME": "u"], ["WABAFORM_PASSWORD": "p"],
        ])
    func missingCredentials(environment: [String: String]) {
        #expect {
            _ = try PartnerCredentials.resolve(environment: environment)
        } throws: { error in
            "\(error)".contains("WABAFORM_API_KEY") && !"\(error)".contains("\"p\"")
        }
    }
}
