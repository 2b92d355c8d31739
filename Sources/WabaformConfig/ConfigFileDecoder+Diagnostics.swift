import PartnerAPIRules

/// Unknown keys with "did you mean", and collecting located errors and warnings.
extension ConfigFileDecoder {
    // MARK: Keys and diagnostics

    /// For `key:value` written without a space (YAML reads it as one key).
    static func missingSpace(in key: String, known: [String]) -> String? {
        guard let colon = key.firstIndex(of: ":"), known.contains(String(key[..<colon])) else { return nil }
        let name = key[..<colon], value = key[key.index(after: colon)...]
        return "add a space after ':' (write \(name): \(value)), or YAML reads it as one key"
    }

    mutating func unknownKey(_ pair: YAMLPair, in place: String, known: [String], hints: [String: String]) {
        var message = "unknown key '\(pair.key)' \(place)"
        if let spaced = Self.missingSpace(in: pair.key, known: known) {
            message += "; " + spaced
        } else if let hint = hints[pair.key] {
            message += hint.contains(" ") ? "; did you mean \(hint)?" : "; did you mean '\(hint)'?"
        } else if pair.key == "<<" {
            message += "; merge keys (<<) are not supported: repeat the keys, or use an alias (*name) as a value"
        } else if let close = Suggestion.closest(to: pair.key, in: known) {
            message += "; did you mean '\(close)'?"
        } else {
            message += "; expected one of: " + known.joined(separator: ", ")
        }
        error(at: pair.keyPosition, message)
    }

    func location(_ position: YAMLPosition) -> SourceLocation {
        file.location(line: position.line, column: position.column)
    }

    mutating func error(at position: YAMLPosition, _ message: String) {
        errorCount += 1
        output.diagnostics.append(.error(at: location(position), message))
    }

    mutating func warning(at position: YAMLPosition, _ message: String) {
        output.diagnostics.append(.warning(at: location(position), message))
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    func unicodeScalarOffset(of needle: String) -> Int? {
        guard let range = range(of: needle) else { return nil }
        return unicodeScalars.distance(from: unicodeScalars.startIndex, to: range.lowerBound)
    }
}
