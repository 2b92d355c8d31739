/// A local storage region: where a channel's message content is stored at rest.
///
/// The codes are 360dialog's [doc] list, plus `BH` (Bahrain), which other 360dialog pages name.
/// `AE` appears only in Meta's list, so it is not accepted until 360dialog documents it.
/// This is the one list: the config validator, the client and the sandbox all read it.
public struct Region: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let code: String
    public let name: String

    public static let all: [Region] = [
        Region(code: "AU", name: "Australia"),
        Region(code: "BH", name: "Bahrain"),
        Region(code: "BR", name: "Brazil"),
        Region(code: "CA", name: "Canada"),
        Region(code: "CH", name: "Switzerland"),
        Region(code: "DE", name: "Germany (EU)"),
        Region(code: "GB", name: "United Kingdom"),
        Region(code: "ID", name: "Indonesia"),
        Region(code: "IN", name: "India"),
        Region(code: "JP", name: "Japan"),
        Region(code: "KR", name: "South Korea"),
        Region(code: "SG", name: "Singapore"),
        Region(code: "ZA", name: "South Africa"),
    ]

    /// All codes, sorted, e.g. for "expected one of" messages.
    public static let codes: [String] = all.map(\.code)

    /// The region for a code, case-insensitively (`de` is `DE`); nil for an unknown code.
    public init?(code: String) {
        let upper = code.uppercased()
        guard let found = Region.all.first(where: { $0.code == upper }) else { return nil }
        self = found
    }

    private init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public var description: String { code }

    public static func < (lhs: Region, rhs: Region) -> Bool { lhs.code < rhs.code }
}
