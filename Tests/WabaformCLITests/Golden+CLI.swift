import Foundation
import Testing
import WabaformTestSupport

extension Golden {
    /// Tests/WabaformCLITests/Golden.
    static let cli = Golden(directory: CLI.packageRoot.appendingPathComponent("Tests/WabaformCLITests/Golden"))

    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try cli.check(actual, against: name, sourceLocation: sourceLocation)
    }
}
