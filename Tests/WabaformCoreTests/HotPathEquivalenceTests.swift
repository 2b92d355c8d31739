import Foundation
import Testing

@testable import PartnerAPIRules
@testable import WabaformCore

/// Shortcuts taken on the request path for CPU (docs/performance.md) give exactly what the
/// long way gave: each is checked here against the long way itself.
@Suite("Hot-path shortcuts: the same results as the long way")
struct HotPathEquivalenceTests {
    @Test(
        "an answer is parsed for an error envelope unless it cannot hold a member named meta",
        arguments: [
            #"{"url": "https:\/\/hooks.example.com\/wa\/acme01CH"}"#,
            #"{"url": "https://hooks.example.com/wa", "headers": {"X-Token": "a\"b\\c"}}"#,
            #"{"count": 1, "total": 1, "partner_channels": [{"id": "acme01CH", "status": "ready"}]}"#,
            #"{"meta": {"success": false, "http_code": 403, "developer_message": "no"}}"#,
            #"{"meta": {"success": true}}"#,
            #"{"\u006deta": {"success": false, "http_code": 429}}"#,
            #"{"m\u0065ta": {"http_code": 500}}"#,
            #"{"data": {"meta": {"success": false}}}"#,
            #"{"note": "\"meta\" in a value", "meta": {"httpCode": 401}}"#,
            #"{"note": "ends in a backslash \\", "meta": {"http_code": 400}}"#,
            #"{"url": "x\"#,
            #"  {"meta": {"success": false}}"#,
            #"{"meta""#,
            "[1, 2]",
            "",
        ])
    func envelopeScan(body: String) {
        let bytes = Array(body.utf8)
        #expect(ErrorBody.envelopeError(bytes)?.httpCode == ErrorBody.envelopeError(bytes, scan: false)?.httpCode)
    }

    @Test("an envelope in UTF-16 (NUL bytes) is still parsed, as before")
    func envelopeInUTF16() {
        let text = #"{"meta": {"success": false, "http_code": 403}}"#
        let bytes = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(ErrorBody.mayHoldMetaKey(bytes))
        #expect(ErrorBody.envelopeError(bytes)?.httpCode == ErrorBody.envelopeError(bytes, scan: false)?.httpCode)
    }

    /// The secret forms as they were worked out scalar by scalar.
    static func percentEncodedScalars(_ value: String, spaceAsPlus: Bool) -> String {
        var out = ""
        for byte in value.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if byte == 0x20, spaceAsPlus {
                out += "+"
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    static func jsonEscapedScalars(_ value: String, escapeSlash: Bool, asciiOnly: Bool) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/" where escapeSlash: out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E):
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let secrets = [
        "sbx_ck_298f5270cb3aacd68c5a639e601c3c03", "pass word+1/2", "Ünïcödé-sëcret~", "tab\there\nnew\"q\\b",
        "emoji-🔑-key", "x%20y&z=1?a#b", "ABCxyz0129-._~", "\u{7F}del\u{1}ctl", "",
    ]

    @Test(
        "a secret's percent-encoded and JSON-escaped forms are the same as worked out scalar by scalar",
        arguments: HotPathEquivalenceTests.secrets)
    func secretForms(secret: String) {
        for plus in [false, true] {
            #expect(SecretRedactor.percentEncoded(secret, spaceAsPlus: plus) == Self.percentEncodedScalars(secret, spaceAsPlus: plus))
        }
        for (slash, ascii) in [(false, false), (true, true), (false, true), (true, false)] {
            #expect(
                SecretRedactor.jsonEscaped(secret, escapeSlash: slash, asciiOnly: ascii)
                    == Self.jsonEscapedScalars(secret, escapeSlash: slash, asciiOnly: ascii))
        }
    }

    /// `PhoneNumber.normalized` as it was: Unicode properties, scalar by scalar.
    static func normalizedByProperties(_ string: String) -> String {
        String(string.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }.map(Character.init))
    }

    @Test(
        "a phone number keeps the same digits as by Unicode properties",
        arguments: [
            "+49 151 1234 5678", "4915112345678", "", "+", "(030) 12-34", "١٢٣ 456", "０１２", "12\u{0663}3", "x1y2z3", "1e3",
            "😀9😀", "\u{0}7\u{7F}8", "١٢٣٤٥٦٧٨٩٠",
        ])
    func phoneDigits(number: String) {
        #expect(PhoneNumber.normalized(number) == Self.normalizedByProperties(number))
    }

    @Test("every ASCII scalar and a sweep of others: a digit to the old rule is a byte 0x30-0x39")
    func phoneDigitsEveryScalar() {
        var text = ""
        for value in UInt32(0)...0x3000 { if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) } }
        #expect(PhoneNumber.normalized(text) == Self.normalizedByProperties(text))
        #expect(PhoneNumber.normalized(text) == "0123456789")
    }

    @Test(
        "a content type is searched byte by byte with the same answers as Foundation's contains",
        arguments: [
            "application/json", "application/json; charset=utf-8", "text/html", "text/html;charset=UTF-8", "application/xhtml+xml",
            "", "json", "jso", "text/plain", "application/problem+json", "application/vnd.api+json", "aaaaajsonaaaa", "text/htm",
            "jsońson", "text/htmlé", "application/jsoń", "éjson", "application/xhtm", "💥json", "j\u{0}son",
        ])
    func contentTypeSearch(type: String) {
        for word: StaticString in ["json", "text/html", "application/xhtml"] {
            #expect(ErrorEnvelopeMiddleware.contains(type, word) == type.contains(word.description), "\(type) \(word)")
        }
    }

    @Test("a request URL remembered is the URL built again, and a bad one fails every time")
    func requestURLs() {
        let urls = WholeBodyTransport.RequestURLs()
        let bases = ["http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v2", "https://waba-v2.360dialog.io/", "http://[::1]:9/x?q=1#f"]
        let paths = [
            "/v1/configs/webhook", "/partners/demoPA/channels?sort=id&limit=1000&offset=0",
            "/partners/a%20b/channels?filters=%7B%22id%22%3A%22x%22%7D", "", "/p?", "/p#frag", "/with space", "/ü", "%zz", "/a b?c d",
        ]
        func outcome(_ body: () throws -> String) -> String {
            do { return try body() } catch { return "failed: \(error)" }
        }
        for _ in 0..<2 {
            for base in bases {
                for path in paths {
                    let expected = outcome { try WholeBodyTransport.requestURL(base: base, path: path) }
                    #expect(outcome { try urls.url(base: base, path: path) } == expected, "\(base) \(path)")
                }
            }
        }
        // Past the limit the memory starts over, with the same answers.
        for index in 0..<(WholeBodyTransport.RequestURLs.limit * 2) {
            let path = "/partners/p/channels?offset=\(index)"
            #expect(outcome { try urls.url(base: bases[0], path: path) } == "http://127.0.0.1:8080" + path)
        }
    }
}
