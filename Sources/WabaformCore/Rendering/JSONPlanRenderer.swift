/// The plan as versioned, deterministic JSON (`schemas/plan.schema.json`): sorted keys,
/// changes in plan order (partner first, then channels by id), no timestamps. Header values
/// appear only as `(sensitive)`.
public struct JSONPlanRenderer: Sendable {
    public static let formatVersion = "1"

    public init() {}

    public func render(_ plan: Plan) -> String {
        ChunkedOutput.collect { render(plan, to: $0) }
    }

    /// Writes the plan to `output` as it renders it: the document is the one `JSONValue`
    /// would write for the whole plan (sorted keys, the same layout, byte for byte), made one
    /// change at a time and handed over in chunks, so the changes are never all held as
    /// `JSONValue`s or as one string.
    public func render(_ plan: Plan, to output: ChunkedOutput) {
        var out = output.makeBuffer()
        // The top-level members, in key order: changes, format_version, partner_id, summary,
        // unknown, warnings.
        out += "{"
        Self.member("changes", first: true, into: &out)
        Self.streamArray(plan.changes, indent: 2, into: &out, output: output, Self.json(for:))
        Self.member("format_version", into: &out)
        JSONValue.string(Self.formatVersion).write(to: &out, indent: 2, pretty: true)
        Self.member("partner_id", into: &out)
        JSONValue.string(plan.partnerID).write(to: &out, indent: 2, pretty: true)
        Self.member("summary", into: &out)
        JSONValue.object([
            "create": .int(plan.count(.create)), "update": .int(plan.count(.update)), "delete": .int(plan.count(.delete)),
            "replace": .int(plan.count(.replace)), "unknown": .int(plan.unknowns.count), "unchanged": .int(plan.unchangedCount),
        ]).write(to: &out, indent: 2, pretty: true)
        Self.member("unknown", into: &out)
        Self.streamArray(plan.unknowns, indent: 2, into: &out, output: output) {
            .sortedObject([.init("address", .string($0.address)), .init("reason", .string($0.reason))])
        }
        Self.member("warnings", into: &out)
        Self.streamArray(plan.warnings, indent: 2, into: &out, output: output, JSONValue.string)
        out += "\n}\n"
        output.finish(&out)
    }

    /// `"key" : ` of a member of the top-level object, after the separator and line break.
    private static func member(_ key: String, first: Bool = false, into out: inout String) {
        if !first { out += "," }
        JSONValue.newline(&out, 2)
        JSONValue.quote(key, into: &out)
        out += " : "
    }

    /// What `JSONValue.array(items.map(json))` writes at `indent`, one item at a time, with a
    /// checkpoint right after each line break that starts an item.
    private static func streamArray<Item>(
        _ items: [Item], indent: Int, into out: inout String, output: ChunkedOutput, _ json: (Item) -> JSONValue
    ) {
        if items.isEmpty {
            out += "[]"
            return
        }
        out += "["
        let itemIndent = String(repeating: " ", count: indent + 2)
        for (index, item) in items.enumerated() {
            out += index > 0 ? ",\n" : "\n"
            output.checkpoint(&out)
            out += itemIndent
            json(item).write(to: &out, indent: indent + 2, pretty: true)
        }
        JSONValue.newline(&out, indent)
        out += "]"
    }

    /// One change, its members written in key order (`.sortedObject`: no hashing per change).
    static func json(for change: Change) -> JSONValue {
        typealias M = JSONValue.Member
        var members: [M] = [
            M("action", .string(change.action.rawValue)),
            M("address", .string(change.address)),
            M("after", value(change.after)),
            M("attribute", .string(change.attribute.key)),
            M("before", value(change.before)),
        ]
        if change.sensitive {
            let changedSecrets = ChangeLines.lines(for: change).filter { $0.text.contains(".headers.") }
                .map { JSONValue.string(String($0.text.prefix { $0 != ":" })) }
            if !changedSecrets.isEmpty { members.append(M("changed_secrets", .array(changedSecrets))) }
        }
        if case .channel(let identity) = change.resource {
            members.append(
                M(
                    "channel",
                    .sortedObject([
                        M("client_id", .string(identity.clientID)), M("client_name", .string(identity.clientName)),
                        M("id", .string(identity.id)), M("phone_number", .string(identity.phoneNumber)),
                        M("status", .string(identity.status)),
                    ])))
        }
        if let reason = change.disruptionReason, change.disruptive { members.append(M("disruption_reason", .string(reason))) }
        members.append(M("disruptive", .bool(change.disruptive)))
        if let overrideAll = change.overrideAll { members.append(M("override_all", .bool(overrideAll))) }
        members += [
            M("resource", .string(change.resource.address)),
            M("sensitive", .bool(change.sensitive)),
        ]
        if case .waba(let identity) = change.resource {
            members.append(
                M(
                    "waba",
                    .sortedObject([
                        M("external_id", .string(identity.externalID)), M("id", .string(identity.id)),
                        M("key_channel_id", .string(identity.keyChannelID)), M("name", .string(identity.name)),
                    ])))
        }
        return .sortedObject(members)
    }

    static func value(_ value: PlanValue) -> JSONValue {
        switch value {
        case .none: .null
        case .text(let text): .string(text)
        case .region(let code): .string(code)
        case .webhook(let url, let headers):
            .sortedObject([
                .init(
                    "headers",
                    .object(Dictionary(headers.map { ($0.name, JSONValue.string("(sensitive)")) }, uniquingKeysWith: { first, _ in first }))
                ),
                .init("url", .string(url)),
            ])
        }
    }
}
