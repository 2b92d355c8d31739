import ArgumentParser
import Foundation

/// Flags every command shares (product spec, section 3).
struct SharedOptions: ParsableArguments {
    @Option(
        name: [.customShort("f"), .customLong("file")],
        help: ArgumentHelp("Config file or directory (every *.yaml/*.yml inside, sorted); repeatable.", valueName: "path"))
    var files: [String] = []

    @Option(help: "Colour: auto (a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorChoice = .auto

    @Flag(name: [.customShort("v"), .long], help: "Log requests and decisions to stderr.")
    var verbose = false

    @Flag(help: "Treat warnings (unknown values, selects that match nothing) as errors.")
    var strict = false

    /// Whether to colour output written to `handle`.
    func useColor(for handle: FileHandle, environment: [String: String]) -> Bool {
        switch color {
        case .always: true
        case .never: false
        case .auto: environment["NO_COLOR"].map(\.isEmpty) ?? true ? isatty(handle.fileDescriptor) == 1 : false
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}
