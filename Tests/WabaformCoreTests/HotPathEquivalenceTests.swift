import Foundation
import HTTPTypes
import Testing

@_spi(Generated) import OpenAPIRuntime

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

    /// The forms a secret was registered with before `SecretRedactor.forms(of:)`: every
    /// escaping built and put in a set, base64 of the value behind 0, 1 and 2 zero bytes.
    static func formsAsBefore(_ value: String) -> Set<[UInt8]> {
        var forms: Set<[UInt8]> = [Array(value.utf8)]
        for (slash, ascii) in [(false, false), (true, true), (false, true)] {
            forms.insert(Array(Self.jsonEscapedScalars(value, escapeSlash: slash, asciiOnly: ascii).utf8))
        }
        for plus in [false, true] { forms.insert(Array(Self.percentEncodedScalars(value, spaceAsPlus: plus).utf8)) }
        let bytes = Array(value.utf8)
        for offset in 0..<3 {
            let padded = [UInt8](repeating: 0, count: offset) + bytes
            let encoded = Array(Data(padded).base64EncodedString().utf8.filter { $0 != UInt8(ascii: "=") })
            let dropFront = [0, 2, 3][offset]
            let dropBack = (offset + bytes.count) % 3 == 0 ? 0 : 1
            guard encoded.count > dropFront + dropBack else { continue }
            let core = Array(encoded[dropFront..<(encoded.count - dropBack)])
            forms.insert(core)
            forms.insert(core.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 })
        }
        return forms
    }

    @Test(
        "a secret is registered with the same forms as before, each once",
        arguments: HotPathEquivalenceTests.secrets + ["abcd", "ab+/", "a", "ÿÿÿÿ", "~~~~~~", "with space", "????>>>>"])
    func secretFormSet(secret: String) {
        let forms = SecretRedactor.forms(of: secret)
        #expect(Set(forms) == Self.formsAsBefore(secret))
        #expect(Set(forms).count == forms.count)
    }

    @Test("every byte value: the forms of a value holding it are the same as before")
    func secretFormsEveryScalar() {
        for value in UInt32(1)...0x17F {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let secret = "k3y" + String(Character(scalar)) + "-v" + String(Character(scalar))
            #expect(Set(SecretRedactor.forms(of: secret)) == Self.formsAsBefore(secret), "scalar \(value)")
        }
    }

    @Test("the redactor's index reads back every form of every secret, canonical, as forms(of:) gives them")
    func indexedFormsAreTheForms() {
        let redactor = SecretRedactor()
        var values =
            HotPathEquivalenceTests.secrets + ["abcd", "ab+/", "ÿÿÿÿ", "~~~~~~", "with space", "????>>>>", "sbx_ck_0123456789abcdef"]
        for value in UInt32(1)...0x17F {
            guard let scalar = Unicode.Scalar(value) else { continue }
            values.append("k3y" + String(Character(scalar)) + "-v" + String(Character(scalar)))
        }
        for length in 4...40 { values.append(String(repeating: "k", count: length - 1) + "_") }
        var expected: Set<[UInt8]> = []
        for value in values {
            redactor.register(value)
            for form in SecretRedactor.forms(of: value) where form.count >= SecretRedactor.minimumPrefix {
                expected.insert(form.map { SecretRedactor.canonical[Int($0)] })
            }
        }
        #expect(redactor.redact("flush") == "flush")
        #expect(redactor.indexedForms() == expected)
        // A key of letters, digits and -._~ (every channel key) has its forms read from its
        // bytes, as it is and in base64 after 0, 1 and 2 zero bytes: no text kept for them.
        let keys = SecretRedactor()
        for length in 4...40 { keys.register(String(repeating: "k", count: length - 1) + "-") }
        keys.register("sbx_ck_298f5270cb3aacd68c5a639e601c3c03")
        #expect(keys.redact("flush") == "flush")
        #expect(keys.storedFormCount() == 0)
    }

    @Test("a body made whole is read back as its bytes; past a limit it fails as reading it would")
    func collectedBody() async throws {
        let bytes = ArraySlice(Array(#"{"url": "https://hooks.example.com/wa"}"#.utf8))
        let body = CollectedBody.body(bytes)
        #expect(try await CollectedBody.bytes(of: body, upTo: 1 << 20) == bytes)
        #expect(try await ArraySlice(collecting: body, upTo: 1 << 20) == bytes)
        func failure(_ read: () async throws -> ArraySlice<UInt8>) async -> String {
            do { return "read \(try await read().count)" } catch { return String(describing: error) }
        }
        let expected = await failure { try await ArraySlice(collecting: HTTPBody(bytes), upTo: 10) }
        #expect(expected.contains("more than the maximum allowed"))
        #expect(await failure { try await CollectedBody.bytes(of: body, upTo: 10) } == expected)
        // Not made here, too large to remember, or forgotten since: read the usual way.
        let stream = HTTPBody(
            AsyncStream { continuation in
                continuation.yield(bytes)
                continuation.finish()
            }, length: .unknown)
        #expect(try await CollectedBody.bytes(of: stream, upTo: 1 << 20) == bytes)
        let large = ArraySlice([UInt8](repeating: 0x61, count: CollectedBody.rememberedBytes + 1))
        #expect(try await CollectedBody.bytes(of: CollectedBody.body(large), upTo: 1 << 20) == large)
        for _ in 0..<(CollectedBody.capacity + 1) { _ = CollectedBody.body([1]) }
        #expect(try await CollectedBody.bytes(of: body, upTo: 1 << 20) == bytes)
    }

    @Test(
        "a content type accepted once is accepted again; one refused is refused every time",
        arguments: [
            "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/html", "application/xml", "*/*",
            "application/*", "", "json", "application/json;;", "application/problem+json",
        ])
    func jsonContentType(type: String) {
        let converter = Converter(configuration: .init())
        let fields: HTTPFields = [.contentType: type]
        let expected = Result {
            try converter.bestContentType(received: converter.extractContentTypeIfPresent(in: fields), options: ["application/json"])
        }
        for _ in 0..<2 {
            let result = Result { try JSONContentType.require(in: fields, converter: converter) }
            switch (expected, result) {
            case (.success, .success): break
            case (.failure(let a), .failure(let b)): #expect(String(describing: a) == String(describing: b))
            default: Issue.record("\(type): \(expected) then \(result)")
            }
        }
    }

    @Test(
        "a JSON object of text values (webhook headers) reads the same from its bytes as through JSONSerialization",
        arguments: [
            #"{"acme01CH": "sbx_ck_298f5270cb3aacd68c5a639e601c3c03", "acme02CH": "k2"}"#, #"{}"#, #" { "a" : "b" } "#,
            #"{"é\u0301": "\ud83d\ude00 key\n", "tab\t": "\"q\\"}"#, #"{"a": "1", "a": "2"}"#, #"{"a": 1}"#, #"{"a": null}"#,
            #"{"a": ["b"]}"#, #"{"a": "\ud800"}"#, #"["a"]"#, #"{"a": "b"} x"#, #"{"a": "b""#, "",
        ])
    func keysFileObject(text: String) {
        let data = Data(text.utf8)
        let reference = (try? JSONSerialization.jsonObject(with: data)) as? [String: String]
        if let read = ChannelPageReader.textObject(data) {
            #expect(read == reference, "\(text)")
        }
        if text.hasPrefix(#"{"acme01CH""#) || text == "{}" { #expect(ChannelPageReader.textObject(data) != nil) }
    }

    @Test(
        "a channel keys file is trimmed as Foundation trims it",
        arguments: [
            "", " ", "\n\t \r\n", #"{"a": "b"}"#, "  {\"a\": \"b\"}\n\n", "\u{00A0}\u{2003}x\u{3000}\u{2028}", "\u{85}a: b\u{200B}",
            "é\u{301} ", " \u{1F600} ", "\u{FEFF}{}", "a\u{0}\n",
        ])
    func keysFileTrimmed(text: String) {
        #expect(ChannelKeys.trimmed(text) == text.trimmingCharacters(in: .whitespacesAndNewlines))
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
