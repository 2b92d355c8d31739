import Foundation
import OpenAPIRuntime
import PartnerAPIRules
import Testing
@testable import WabaformCore

/// The tolerant reader's pure parts: one function for every shape of a webhook read, every
/// error shape, the usage limit's wording, and saying a fleet-wide fact once.
@Suite struct TolerantReadingTests {
    @Test(
        "a webhook read in every plausible shape",
        arguments: [
            (#"{"url": "https://h.example.com/x", "headers": {"X-A": "1"}}"#, "set https://h.example.com/x X-A"),
            (
                #"{"url": "https://h.example.com/x", "headers": null, "waba_id": "1", "phone_numbers": ["49"], "x": {"y": [1, null]}}"#,
                "set https://h.example.com/x"
            ),
            ("{}", "unset"),
            (#"{"url": ""}"#, "unset"),
            (#"{"url": "  "}"#, "unset"),
            (#"{"url": null}"#, "unset"),
            (#"{"url": null, "headers": null}"#, "unset"),
            (#"{"url": 5}"#, "malformed url is not text"),
            (#"{"url": "https://h.example.com/x", "headers": [1, 2]}"#, "malformed headers is not an object"),
            (#"{"url": "https://h.example.com/x", "headers": {"X-A": 1}}"#, "malformed the value of header X-A is not text"),
        ] as [(String, String)])
    func webhookShapes(json: String, expected: String) throws {
        // Decoded as the generated client decodes an undeclared object.
        let fields = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(json.utf8)).value
        let shape = APIAssumptions.channelWebhook(in: fields)
        let shown: String =
            switch shape {
            case .set(let url, let headers): (["set", url] + headers.keys.sorted()).joined(separator: " ")
            case .unset: "unset"
            case .malformed(let reason): "malformed " + reason
            }
        #expect(shown == expected)
    }

    @Test("a channel object is read tolerantly: extra fields, other types, nesting")
    func channelFields() throws {
        let json = #"""
            {"client_id": "acmeCL", "status": 5, "availability_status": null, "is_on_biz_app": false,
             "setup_info": {"phone_number": 4915110000001, "phone_name": ["x"], "extra": {"a": {"b": "c"}}},
             "client": "not an object", "waba_account": {"id": "acmeWA", "consents": [true]}, "ratio": 0.5}
            """#
        let object = try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(json.utf8)).value
        let fields = ChannelFields.flatten(object)
        #expect(
            fields == [
                "client_id": "acmeCL", "status": "5", "is_on_biz_app": "false", "setup_info.phone_number": "4915110000001",
                "setup_info.extra.a.b": "c", "waba_account.id": "acmeWA", "ratio": "0.5", "client": "not an object",
            ])
    }

    @Test(
        "every error shape yields the API's message and trace id",
        arguments: [
            (
                #"{"meta": {"success": false, "http_code": 400, "developer_message": "Wrong payload", "360dialog_trace_id": "t-1", "error": {"message": "(#131009) Parameter value is not valid", "type": "OAuthException", "code": 131009, "error_data": {"details": "url must be https"}, "fbtrace_id": "fb-1"}}}"#,
                "Wrong payload: (#131009) Parameter value is not valid: url must be https", "t-1"
            ),
            (
                #"{"meta": {"success": false, "http_code": 400, "developer_message": "Meta error", "error": "{\"error\": {\"message\": \"(#100) Invalid parameter\", \"fbtrace_id\": \"fb-2\"}}"}}"#,
                "Meta error: (#100) Invalid parameter", "fb-2"
            ),
            (
                #"{"meta": {"success": false, "httpCode": 422, "developerMessage": "Validation failed", "traceId": "t-3"}, "details": [{"field": "url", "message": "must be https"}, "host has _"]}"#,
                "Validation failed: url: must be https; host has _", "t-3"
            ),
            (
                #"{"error": {"message": "Message failed to send", "code": 131026, "error_data": {"details": "Receiver is incapable"}}}"#,
                "Message failed to send: Receiver is incapable", nil
            ),
            (#"{"error_data": {"details": "Too many webhooks"}, "360dialog_trace_id": "t-5"}"#, "Too many webhooks", "t-5"),
            (#"{"error": "Unauthorized"}"#, "Unauthorized", nil),
            (#"{"details": ["one", "two"]}"#, "one; two", nil),
        ] as [(String, String, String?)])
    func errorShapes(body: String, message: String, trace: String?) {
        let parsed = ErrorBody.parse(Array(body.utf8))
        #expect(parsed.message == message)
        #expect(parsed.traceID == trace)
    }

    @Test(
        "the usage limit is recognised in its wordings, and only as a 400",
        arguments: [
            (400, "You have exceeded the limit of requests per second", true),
            (400, "Rate limit hit: you have EXCEEDED the messaging limit.", true),
            (400, "Too many requests", true),
            (400, "Wrong payload: missing field url", false),
            (401, "You have exceeded the limit", false),
            (400, nil, false),
        ] as [(Int, String?, Bool)])
    func usageLimit(status: Int, message: String?, expected: Bool) {
        #expect(APIAssumptions.isUsageLimit(status: status, message: message) == expected)
    }

    @Test("a fleet-wide fact is one line with a count and an example")
    func sayOnce() {
        let notes =
            ["aCH", "bCH", "cCH"].map {
                SayOnce.Note(channelID: $0, subject: "webhook", text: "no channel key: set WABAFORM_CHANNEL_KEY_\($0)")
            } + [SayOnce.Note(channelID: "dCH", subject: "local_storage", text: "field missing")]
        let lines = SayOnce.lines(
            notes, single: { "channel.\($0.channelID).\($0.subject) is unknown: \($0.text)" },
            many: { "\($2) x\($0) (e.g. \($1.channelID))" })
        #expect(
            lines == [
                "no channel key: set WABAFORM_CHANNEL_KEY_<channel id> x3 (e.g. aCH)",
                "channel.dCH.local_storage is unknown: field missing",
            ])
        #expect(
            SayOnce.collapseChannelLines([
                "partner webhook_url is left out", "channel aCH: local storage not read (no field); left out",
                "channel bCH: local storage not read (no field); left out",
            ]) == ["partner webhook_url is left out", "2 channels: local storage not read (no field); left out (e.g. channel aCH)"])
    }
}
