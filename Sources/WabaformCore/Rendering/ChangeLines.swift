import PartnerAPIRules
import WabaformConfig

/// The per-attribute lines of a change, shared by the text and Markdown renderers:
/// `~ webhook.url: "https://a" -> "https://b"`, `+ local_storage: DE`,
/// `-/+ local_storage: DE -> GB`, `~ webhook.headers.X-Secret: (sensitive, changed)`.
/// Header values are never shown.
struct ChangeLine: Equatable {
    var symbol: String
    var text: String
}

enum ChangeLines {
    static func lines(for change: Change) -> [ChangeLine] {
        var lines = attributeLines(for: change)
        // A WABA webhook's override_all rides along with the write (the API does not report it).
        if change.overrideAll == true {
            lines.append(.init(symbol: change.action.symbol, text: "\(change.attribute.key).override_all: true"))
        }
        return lines
    }

    static func attributeLines(for change: Change) -> [ChangeLine] {
        let name = change.attribute.key
        switch (change.before, change.after) {
        case (.webhook(let url1, let headers1), .webhook(let url2, let headers2)):
            var lines: [ChangeLine] = []
            if url1 != url2 { lines.append(.init(symbol: "~", text: "\(name).url: \(quote(url1)) -> \(quote(url2))")) }
            lines += headerLines(name: name, before: headers1, after: headers2)
            return lines
        case (.none, .webhook(let url, let headers)):
            return [.init(symbol: "+", text: "\(name).url: \(quote(url))")] + headerLines(name: name, before: [], after: headers)
        case (.webhook(let url, let headers), .none):
            return [.init(symbol: "-", text: "\(name).url: \(quote(url))")] + headerLines(name: name, before: headers, after: [])
        default:
            break
        }
        switch change.action {
        case .create:
            return [.init(symbol: "+", text: "\(name): \(display(change.after))")]
        case .delete:
            return [.init(symbol: "-", text: "\(name): \(display(change.before))")]
        case .update, .replace:
            return [.init(symbol: change.action.symbol, text: "\(name): \(display(change.before)) -> \(display(change.after))")]
        }
    }

    static func headerLines(name: String, before: [WebhookHeader], after: [WebhookHeader]) -> [ChangeLine] {
        let old = Dictionary(before.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        var lines: [ChangeLine] = []
        for headerName in Set(old.keys).union(new.keys).sorted() {
            // Live header names come from the API.
            let header = TerminalText.escaped(headerName)
            switch (old[headerName], new[headerName]) {
            case (nil, .some): lines.append(.init(symbol: "+", text: "\(name).headers.\(header): (sensitive)"))
            case (.some, nil): lines.append(.init(symbol: "-", text: "\(name).headers.\(header): (sensitive)"))
            case (.some(let a), .some(let b)) where a != b:
                lines.append(.init(symbol: "~", text: "\(name).headers.\(header): (sensitive, changed)"))
            default: break
            }
        }
        return lines
    }

    /// A value for display: quoted URLs and text (escaped), bare region codes, `off` for default storage.
    static func display(_ value: PlanValue) -> String {
        switch value {
        case .none: "off"
        case .text(let text): quote(text)
        case .region(let code): TerminalText.escaped(code)
        case .webhook(let url, let headers): headers.isEmpty ? quote(url) : "\(quote(url)) with \(headers.count) header(s) (sensitive)"
        }
    }

    static func quote(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped += TerminalText.escaped(String(character))
            }
        }
        return "\"" + escaped + "\""
    }
}
