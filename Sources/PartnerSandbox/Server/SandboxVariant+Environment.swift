import Foundation

extension SandboxVariant {
    /// The variable the embedded sandbox (`--sandbox` on plan, apply, drift, export, doctor)
    /// reads its variants from: comma-separated names, e.g. `no-storage-field,lean-token`.
    public static let environmentVariable = "WABAFORM_SANDBOX_VARIANTS"

    /// A variant name that does not exist; the message lists the names that do.
    public struct UnknownName: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var description: String {
            // Printable ASCII as it is, anything else as \u{…}: the name came from the user's shell.
            let shown = name.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
            return "\(SandboxVariant.environmentVariable): unknown sandbox variant \"\(shown.joined())\"; the variants are \(SandboxVariant.names)"
        }
    }

    /// The variants named in `environment[environmentVariable]`; none when it is unset or empty.
    public static func fromEnvironment(_ environment: [String: String]) throws(UnknownName) -> Set<SandboxVariant> {
        guard let list = environment[environmentVariable] else { return [] }
        var variants: Set<SandboxVariant> = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let variant = SandboxVariant(rawValue: name) else { throw UnknownName(name: name) }
            variants.insert(variant)
        }
        return variants
    }
}
