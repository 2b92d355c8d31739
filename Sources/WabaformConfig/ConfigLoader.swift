import Foundation
import PartnerAPIRules

/// Files and directories -> parsed documents -> one merged, validated `DesiredConfig`.
/// Never reads the process environment or the current directory: both are passed in.
public enum ConfigLoader {
    /// Read when no path is given.
    public static let defaultFileName = "wabaform.yaml"

    /// The config files a directory contributes: its `*.yaml` and `*.yml` files, not hidden,
    /// not directories, in name (byte) order.
    public static func configFileNames(inDirectory absolute: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
        return names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            .filter { name in
                var isDir: ObjCBool = false
                return FileManager.default.fileExists(atPath: absolute + "/" + name, isDirectory: &isDir) && !isDir.boolValue
            }
            .sorted(by: readsBefore)
    }

    /// The order a directory's config files are read in: by name, byte by byte.
    public static func readsBefore(_ name: String, _ other: String) -> Bool {
        name.utf8.lexicographicallyPrecedes(other.utf8)
    }

    /// Loads the config from `paths` (files, or directories whose `*.yaml`/`*.yml` files are
    /// read in name order; hidden files are skipped, subdirectories are not entered).
    /// Relative paths are resolved against `workingDirectory` but reported as given.
    /// With no paths, reads `wabaform.yaml` in `workingDirectory`.
    public static func load(paths: [String], workingDirectory: String, environment: [String: String]) -> ConfigLoadResult {
        var diagnostics: [Diagnostic] = []
        var sources: [SourceInput] = []
        var seen: [String: String] = [:]  // absolute path -> display path
        let named = paths.isEmpty ? [defaultFileName] : paths
        for path in named {
            let absolute = resolve(path, in: workingDirectory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                diagnostics.append(
                    .error(
                        at: .wholeFile(path),
                        paths.isEmpty
                            ? "no \(defaultFileName) in \(workingDirectory); create one, or name config files with -f PATH"
                            : "no such file or directory"))
                continue
            }
            var files: [(display: String, absolute: String)] = []
            if isDirectory.boolValue {
                let configs = configFileNames(inDirectory: absolute)
                if configs.isEmpty {
                    diagnostics.append(.error(at: .wholeFile(path), "directory has no .yaml or .yml files"))
                }
                files = configs.map { (join(path, $0), absolute + "/" + $0) }
            } else {
                files = [(path, absolute)]
            }
            for (display, absolute) in files {
                let key = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
                if let first = seen[key] {
                    diagnostics.append(.warning(at: .wholeFile(display), "this file is already read as \(first); reading it once"))
                    continue
                }
                seen[key] = display
                switch read(absolute, display: display) {
                case .success(let text): sources.append(SourceInput(path: display, text: text))
                case .failure(let diagnostic): sources.append(SourceInput(path: display, text: nil)); diagnostics.append(diagnostic)
                }
            }
        }
        return load(sources, environment: environment, earlier: diagnostics)
    }

    /// Loads config text already in memory (for tests and tools): each source is named by
    /// `path` in diagnostics; the files are merged in the order given.
    public static func load(sources: [(path: String, text: String)], environment: [String: String]) -> ConfigLoadResult {
        load(sources.map { SourceInput(path: $0.path, text: $0.text) }, environment: environment, earlier: [])
    }

    // MARK: Reading files

    struct SourceInput {
        let path: String
        /// Nil when the file could not be read (a diagnostic says why).
        let text: String?
    }

    enum ReadOutcome {
        case success(String)
        case failure(Diagnostic)
    }

    private static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory + path : directory + "/" + path)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        if directory == "." || directory == "./" { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The file's text, or why it cannot be a config file: too large (checked before
    /// reading), unreadable, binary (a NUL byte) or not UTF-8.
    static func read(_ absolute: String, display: String) -> ReadOutcome {
        let attributes = try? FileManager.default.attributesOfItem(atPath: absolute)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > ConfigLimits.maxFileBytes {
            return .failure(
                .error(
                    at: .wholeFile(display),
                    "the file is \(ConfigLimits.mebibytes(size)) MiB; wabaform reads config files of at most \(ConfigLimits.maxFileBytes / 1024 / 1024) MiB"
                ))
        }
        guard let handle = FileHandle(forReadingAtPath: absolute) else {
            return .failure(.error(at: .wholeFile(display), "cannot read the file (permission denied?)"))
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit, in case the file grew since the check.
        let data = (try? handle.read(upToCount: ConfigLimits.maxFileBytes + 1)) ?? Data()
        if data.count > ConfigLimits.maxFileBytes {
            return .failure(
                .error(
                    at: .wholeFile(display),
                    "the file is larger than \(ConfigLimits.maxFileBytes / 1024 / 1024) MiB; wabaform reads config files of at most that size"
                ))
        }
        return decodeText(Array(data), display: display)
    }

    static func decodeText(_ bytes: [UInt8], display: String) -> ReadOutcome {
        if let nul = bytes.firstIndex(of: 0) {
            let (line, column) = position(ofByte: nul, in: bytes)
            return .failure(
                .error(
                    at: SourceLocation(file: display, line: line, column: column),
                    "the file contains a NUL byte; it looks like a binary file, not YAML text"))
        }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: break loop
            case .error(let length):
                let (line, column) = position(ofByte: offset, in: bytes)
                let byte = String(bytes[offset], radix: 16, uppercase: true)
                _ = length
                return .failure(
                    .error(
                        at: SourceLocation(file: display, line: line, column: column),
                        "the file is not UTF-8 text (byte 0x\(byte.count == 1 ? "0" + byte : byte) here); is it a binary file? Save it as UTF-8"
                    ))
            }
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    private static func position(ofByte offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let before = bytes[..<offset]
        let lineStart = (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return (line, column)
    }

    // MARK: Decoding and merging

    private static func load(_ sources: [SourceInput], environment: [String: String], earlier: [Diagnostic]) -> ConfigLoadResult {
        var diagnostics = earlier
        var partner: PartnerSpec?
        var partnerKey: SourceLocation?
        var rules: [ChannelRule] = []
        var wabaRules: [WABARule] = []
        var excerpts: [String: (file: SourceFile, sensitive: [(start: YAMLPosition, end: YAMLPosition)])] = [:]
        for source in sources {
            guard let text = source.text else { continue }
            let file = SourceFile(path: source.path, text: text)
            let composed = YAMLComposer.compose(file)
            diagnostics += composed.diagnostics
            var sensitive = file.textualSensitiveSpans()
            let isEmptyRoot = composed.root?.scalar?.isNull == true
            if let root = composed.root, !isEmptyRoot {
                var decoder = ConfigFileDecoder(
                    file: file, environment: environment,
                    nodePositions: composed.nodePositions, firstRuleIndex: rules.count)
                decoder.decode(root)
                let output = decoder.output
                diagnostics += output.diagnostics
                sensitive += output.sensitiveSpans
                rules += output.rules
                for var rule in output.wabaRules {
                    rule.index = wabaRules.count
                    wabaRules.append(rule)
                }
                if let key = output.partnerKeyLocation {
                    if let first = partnerKey {
                        diagnostics.append(
                            .error(
                                at: key,
                                "partner is already set at \(first); partner may appear in one file only"))
                    } else {
                        partnerKey = key
                        partner = output.partner
                    }
                }
            } else if composed.diagnostics.isEmpty {
                let onlyComments = !text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
                diagnostics.append(
                    .error(
                        at: .wholeFile(file.path),
                        "the file is \(onlyComments ? "only comments" : "empty"); a config needs at least version: \(ConfigKeys.supportedVersion)"
                    ))
            }
            excerpts[file.path] = (file, sensitive)
        }
        diagnostics += conflicts(in: rules) + conflicts(in: wabaRules)
        let sorted = diagnostics.map { diagnostic in
            guard diagnostic.excerpt == nil, let source = excerpts[diagnostic.location.file] else { return diagnostic }
            return diagnostic.withExcerpt(source.file.excerpt(for: diagnostic.location, sensitive: source.sensitive))
        }.sortedForOutput()
        let config =
            sorted.contains(where: \.isError)
            ? nil
            : DesiredConfig(partner: partner, channelRules: rules, wabaRules: wabaRules, sourceFiles: sources.map(\.path))
        return ConfigLoadResult(config: config, diagnostics: sorted, files: sources.map(\.path))
    }

    /// Conflicts visible without live channels, by the one rule of docs/configuration.md
    /// ("Precedence and conflicts"): two rules with the same selector — the same `id`, the same
    /// `phone_number` (digits), `select: all` twice, or the same `select` map twice — that set
    /// the same attribute to different values. The same value twice, or different attributes,
    /// is no conflict. The planner applies the same rule to the rules that meet on a live channel.
    static func conflicts(in rules: [ChannelRule]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        // Where each selector's attribute was first set, as the rule's index: a table of whole
        // rules was 48.8 MB for the 60,012 rules of a 100,000-channel export (heaptrack), the
        // peak of the export's own check.
        var first: [SettingKey: Int] = [:]
        first.reserveCapacity(rules.count)
        for (index, rule) in rules.enumerated() {
            for attribute in rule.ruledAttributes {
                guard let location = rule.location(of: attribute) else { continue }
                let key = SettingKey(selector: rule.selector, attribute: attribute)
                guard let earlierIndex = first[key] else {
                    first[key] = index
                    continue
                }
                let earlier = rules[earlierIndex]
                let same =
                    switch attribute {
                    case _ where earlier.unmanaged.contains(attribute) || rule.unmanaged.contains(attribute):
                        earlier.unmanaged.contains(attribute) && rule.unmanaged.contains(attribute)
                    case .webhook: earlier.webhook == rule.webhook
                    case .localStorage: earlier.localStorage == rule.localStorage
                    }
                if same { continue }
                let there = earlier.location(of: attribute) ?? earlier.location
                diagnostics.append(
                    .error(
                        at: location,
                        "\(attribute) is already set to a different value for \(describe(rule.selector)) at \(there); "
                            + "two rules with the same selector must not set \(attribute) differently (remove one, or merge them)"))
            }
        }
        return diagnostics
    }

    /// The same rule for `wabas`: the same selector with different webhooks.
    static func conflicts(in rules: [WABARule]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var first: [ChannelSelector: Int] = [:]
        for (index, rule) in rules.enumerated() {
            guard let earlierIndex = first[rule.selector] else {
                first[rule.selector] = index
                continue
            }
            let earlier = rules[earlierIndex]
            if earlier.webhook == rule.webhook { continue }
            let what = if case .id(let id) = rule.selector { "WABA id \(id)" } else { describe(rule.selector) }
            diagnostics.append(
                .error(
                    at: rule.webhookLocation,
                    "the WABA webhook is already set to a different value for \(what) at \(earlier.webhookLocation); "
                        + "two wabas rules with the same selector must not set it differently (remove one, or merge them)"))
        }
        return diagnostics
    }

    private static func describe(_ selector: ChannelSelector) -> String {
        switch selector {
        case .all: "select: all"
        case .match: "the same select map"
        case .id(let id): "channel id \(id)"
        case .phoneNumber(let digits): "phone number \(digits)"
        }
    }

    private struct SettingKey: Hashable {
        let selector: ChannelSelector
        let attribute: ManagedAttribute
    }
}
