import Foundation
import PartnerAPIRules

/// A credential helper that serves channel keys (`--channel-keys-command CMD`, or
/// `WABAFORM_CHANNEL_KEYS_COMMAND`): wabaform runs it once, without a shell, writes the ids
/// of the channels that need a key to its stdin as a JSON list, and reads a JSON object
/// `{channel_id: key}` from its stdout.
///
/// `CMD` is split into words as a shell would (quotes, backslashes), but nothing is expanded
/// and no shell runs it: no variables, globs, pipes or redirections unless the user asks for
/// a shell themselves (`sh -c '…'`). The helper gets wabaform's environment without the
/// partner credentials and channel keys. It is bounded by a timeout and an output limit; any
/// failure is one error naming the program — never its arguments (they may hold a token) nor
/// its output (it may hold keys). Its stderr is passed on with every known secret scrubbed.
public struct ChannelKeysCommand: Sendable {
    public static let timeoutVariable = "WABAFORM_CHANNEL_KEYS_COMMAND_TIMEOUT"
    public static let defaultTimeout: Duration = .seconds(60)
    public static let defaultMaxOutputBytes = 16 * 1024 * 1024
    static let maxErrorBytes = 64 * 1024
    /// Variables the helper does not need and must not see.
    static let withheldVariables: Set<String> = ["WABAFORM_API_KEY", "WABAFORM_PASSWORD", "WABAFORM_USERNAME"]

    /// The program and its arguments.
    public var arguments: [String]
    /// Where the command was given: `--channel-keys-command` or the variable.
    public var origin: String
    public var timeout: Duration
    public var maxOutputBytes: Int
    var environment: [String: String]
    /// Where the helper's stderr goes, line by line, scrubbed (the command's stderr).
    let output: @Sendable (String) -> Void

    /// The program as the user named it, safe for a terminal.
    public var program: String { Self.escaped(arguments.first ?? "") }

    /// How its keys are labelled (`Entry.source`).
    public var label: String { "the channel keys command \(program)" }

    /// Checks the command line and the timeout variable; nothing runs yet.
    static func parse(
        _ line: String, origin: String, environment: [String: String], output: @escaping @Sendable (String) -> Void
    ) throws(ChannelKeys.LoadError) -> ChannelKeysCommand {
        guard let words = split(line) else {
            throw ChannelKeys.LoadError(description: "the channel keys command (\(origin)) has a quote that is not closed")
        }
        guard !words.isEmpty, !words[0].isEmpty else {
            throw ChannelKeys.LoadError(description: "the channel keys command (\(origin)) is empty")
        }
        var timeout = defaultTimeout
        if let text = environment[timeoutVariable], !text.isEmpty {
            guard let seconds = Double(text), seconds > 0, seconds <= 86_400 else {
                throw ChannelKeys.LoadError(
                    description: "\(timeoutVariable) must be a number of seconds above 0, not \(Self.escaped(text))")
            }
            timeout = .milliseconds(Int(seconds * 1000))
        }
        let childEnvironment = environment.filter {
            !withheldVariables.contains($0.key) && !$0.key.hasPrefix(ChannelKeys.variablePrefix)
        }
        return ChannelKeysCommand(
            arguments: words, origin: origin, timeout: timeout, maxOutputBytes: defaultMaxOutputBytes,
            environment: childEnvironment, output: output)
    }

    /// The helper's answer for `channelIDs`: keys for those of them it knows. Ids it was not
    /// asked for are ignored, `null` means "no key here" (lower sources still apply).
    /// `otherSecrets` are scrubbed from its stderr along with the keys it returned.
    func keys(for channelIDs: [String], otherSecrets: [String]) async throws(ChannelKeys.LoadError) -> [String: Secret] {
        func failure(_ problem: String) -> ChannelKeys.LoadError {
            ChannelKeys.LoadError(description: "the channel keys command \(program) (\(origin)) \(problem)")
        }
        let executable = try resolveExecutable(failure)
        let input = (try? JSONSerialization.data(withJSONObject: channelIDs, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
        let process = HelperProcess(
            executable: executable, arguments: arguments, environment: environment, timeout: timeout,
            maxOutputBytes: maxOutputBytes, maxErrorBytes: Self.maxErrorBytes)
        let outcome: HelperProcess.Outcome
        do { outcome = try await process.run(input: Data(input)) } catch {
            let code = (error as? HelperProcess.SpawnFailure)?.errno ?? 0
            throw failure("cannot be started: \(String(cString: strerror(code)))")
        }
        let parsed = Self.parseOutput(outcome.output, wanted: channelIDs)
        let served = (try? parsed.get()) ?? [:]
        passOn(outcome, scrubbing: served.values.map(\.revealed) + otherSecrets)
        switch outcome.termination {
        case .exited(0): break
        case .exited(let status):
            throw failure("failed with exit status \(status)\(outcome.errorOutput.isEmpty ? "" : " (its error output is above)")")
        case .signaled(let number): throw failure("was killed by signal \(number)")
        case .timedOut:
            throw failure(
                "did not finish within \(Self.seconds(timeout)), so it was stopped; if it needs longer, set \(Self.timeoutVariable)")
        case .outputTooLarge:
            throw failure("printed more than \(maxOutputBytes / (1024 * 1024)) MiB, so it was stopped")
        }
        switch parsed {
        case .success(let keys): return keys
        case .failure(let problem): throw failure(problem.description)
        }
    }

    struct OutputProblem: Error, CustomStringConvertible { var description: String }

    /// `{channel_id: key}` for the wanted ids; problems never quote the output.
    static func parseOutput(_ data: Data, wanted: [String]) -> Result<[String: Secret], OutputProblem> {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .failure(
                OutputProblem(
                    description:
                        "did not print a JSON object of {\"CHANNEL_ID\": \"KEY\"} (what it printed is not shown: it may hold keys)"))
        }
        var keys: [String: Secret] = [:]
        for id in wanted {
            guard let value = object[id], !(value is NSNull) else { continue }
            guard let key = value as? String else {
                return .failure(OutputProblem(description: "printed a value for channel \(id) that is not a string"))
            }
            guard !key.isEmpty else { return .failure(OutputProblem(description: "printed an empty key for channel \(id)")) }
            if key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) {
                return .failure(OutputProblem(description: "printed a key for channel \(id) with a space or control character"))
            }
            keys[id] = Secret(key)
        }
        return .success(keys)
    }

    /// The helper's stderr, each line prefixed, secrets replaced, control characters escaped.
    private func passOn(_ outcome: HelperProcess.Outcome, scrubbing secrets: [String]) {
        guard !outcome.errorOutput.isEmpty else { return }
        var text = String(decoding: outcome.errorOutput, as: UTF8.self)
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "(sensitive)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if outcome.errorOutputTruncated { lines.append("… (more error output, not shown)") }
        output(lines.map { "\(program): \(Self.escaped($0))\n" }.joined())
    }

    private func resolveExecutable(_ failure: (String) -> ChannelKeys.LoadError) throws(ChannelKeys.LoadError) -> String {
        let name = arguments[0]
        let manager = FileManager.default
        if name.contains("/") {
            guard manager.isExecutableFile(atPath: name) else {
                throw failure(manager.fileExists(atPath: name) ? "cannot be run: it is not executable" : "cannot be run: it does not exist")
            }
            return name
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                manager.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        throw failure("cannot be run: it was not found on PATH")
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// Words as a POSIX shell splits them (whitespace; '…' literal; "…" with \\ \" \$ \`
    /// escapes; \ outside quotes), with no expansion. Nil when a quote is not closed.
    static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    current.append(next)
                }
                guard closed else { return nil }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { return nil }
                        if !"\\\"$`".contains(escaped) { current.append("\\") }
                        current.append(escaped)
                        continue
                    }
                    current.append(next)
                }
                guard closed else { return nil }
            case "\\":
                inWord = true
                if let escaped = iterator.next() { current.append(escaped) }
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
