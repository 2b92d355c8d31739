import ArgumentParser

/// Range checks for numeric flags: finite and within bounds, or a usage error (exit 1) that
/// names the flag, the range and the value given.
enum NumericFlag {
    static func check(
        _ flag: String, _ value: Double, in range: ClosedRange<Double>, unit: String, zeroAllowed: Bool = false
    ) throws {
        guard value.isFinite, range.contains(value) || (zeroAllowed && value == 0) else {
            let zero = zeroAllowed ? ", or 0 for none" : ""
            throw ValidationError(
                "\(flag) must be between \(format(range.lowerBound)) and \(format(range.upperBound)) (\(unit))\(zero); got \(format(value))"
            )
        }
    }

    static func check(_ flag: String, _ value: Int, in range: ClosedRange<Int>, unit: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound) (\(unit)); got \(value)")
        }
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
