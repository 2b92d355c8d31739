/// A `select` value: `*` matches any run of characters (including none); everything else
/// matches itself. The whole field value must match, case-sensitively. There is no escape:
/// a literal `*` cannot be matched on its own.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written in the config.
    public let pattern: String
    private let segments: [[UInt8]]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.segments = pattern.utf8.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
            .map(Array.init)
    }

    /// True when the pattern has no `*` and so matches exactly one value.
    public var isLiteral: Bool { segments.count == 1 }

    public var description: String { pattern }

    /// Whether the whole of `value` matches the pattern.
    public func matches(_ value: String) -> Bool {
        // The text's own bytes where it has them (a native string): no copy per call, which
        // with 200 `--target` globs was a copy per pattern and address.
        if let matched = value.utf8.withContiguousStorageIfAvailable({ matches($0) }) { return matched }
        return Array(value.utf8).withUnsafeBufferPointer { matches($0) }
    }

    private func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard segments.count > 1 else { return text.elementsEqual(segments[0]) }
        let first = segments[0], last = segments[segments.count - 1]
        guard text.count >= first.count + last.count,
            text.starts(with: first), text.suffix(last.count).elementsEqual(last)
        else { return false }
        // Middle segments, leftmost-first, between the prefix and the suffix.
        var position = first.count
        let end = text.count - last.count
        for segment in segments[1..<(segments.count - 1)] where !segment.isEmpty {
            guard let found = Self.find(segment, in: text, from: position, end: end) else { return false }
            position = found + segment.count
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int? {
        guard end - start >= needle.count else { return nil }
        var index = start
        while index + needle.count <= end {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
