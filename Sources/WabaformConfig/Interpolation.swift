import PartnerAPIRules

/// `${VAR}` and `${VAR:-default}` in scalar values, read from an injected environment.
/// `$${` is a literal `${`. As in the shell, `:-` uses the default when the variable is
/// unset or empty. The default is taken as written (it is not expanded again).
public enum Interpolation {
    /// Something wrong with one `${...}`; `offset` is the Unicode-scalar offset of its
    /// `$` in the raw string. Messages name variables, never their values.
    public struct Problem: Sendable, Hashable {
        public let offset: Int
        public let message: String
    }

    public struct Expansion: Sendable, Hashable {
        /// The expanded string (unusable if `problems` is not empty).
        public let value: String
        /// The variables referenced, in order.
        public let variables: [String]
        public let problems: [Problem]
        /// True when at least one `${...}` was replaced (so `value` may hold text that is
        /// not in the file and must not be quoted in diagnostics).
        public var didExpand: Bool { !variables.isEmpty }
    }

    public static func expand(_ raw: String, environment: [String: String]) -> Expansion {
        guard raw.utf8.contains(UInt8(ascii: "$")) else {
            return Expansion(value: raw, variables: [], problems: [])
        }
        let scalars = Array(raw.unicodeScalars)
        var out = String.UnicodeScalarView()
        var variables: [String] = []
        var problems: [Problem] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$" else {
                out.append(scalar)
                index += 1
                continue
            }
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if next == "$", index + 2 < scalars.count, scalars[index + 2] == "{" {
                out.append(contentsOf: "${".unicodeScalars)
                index += 3
                continue
            }
            guard next == "{" else {
                out.append(scalar)
                index += 1
                continue
            }
            guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                problems.append(
                    Problem(
                        offset: index,
                        message:
                            "unterminated ${ (no closing }); write $${ for a literal ${"))
                break
            }
            var body = ""
            body.unicodeScalars.append(contentsOf: scalars[(index + 2)..<close])
            var name = body
            var fallback: String?
            if let range = body.range(of: ":-") {
                name = String(body[..<range.lowerBound])
                fallback = String(body[range.upperBound...])
            }
            if !isValidName(name) {
                // Never quote what follows a ':' — with the '-' forgotten, it is a default
                // value, and that may be a pasted secret.
                let colon = name.firstIndex(of: ":")
                let shownName = colon.map { String(name[..<$0]) } ?? name
                let message: String
                if fallback == nil, colon != nil, isValidName(shownName) {
                    message =
                        "${\(shownName):…} is not a variable reference: a default value is written after :- ; write ${\(shownName):-...}"
                } else if shownName.isEmpty {
                    message = "empty variable name in ${}"
                } else {
                    message =
                        "invalid variable name \"\(TerminalText.escaped(shownName))\"\(colon == nil ? "" : ":…") in ${...}; names are letters, digits and _, not starting with a digit"
                }
                problems.append(Problem(offset: index, message: message))
            } else {
                variables.append(name)
                if let value = environment[name], !(value.isEmpty && fallback != nil) {
                    out.append(contentsOf: value.unicodeScalars)
                } else if let fallback {
                    out.append(contentsOf: fallback.unicodeScalars)
                } else {
                    var message = "environment variable \(name) is not set"
                    if let close = Suggestion.closest(to: name, in: Array(environment.keys).sorted()) {
                        message += "; did you mean \(close)?"
                    } else {
                        message += "; set it, or give a default: ${\(name):-value}"
                    }
                    problems.append(Problem(offset: index, message: message))
                }
            }
            index = close + 1
        }
        return Expansion(value: String(out), variables: variables, problems: problems)
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
