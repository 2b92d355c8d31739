/// The plan as versioned, deterministic JSON (`schemas/plan.schema.json`): sorted keys,
/// changes in plan order (partner first, then channels by id), no timestamps. Header values
/// appear only as `(sensitive)`.
public struct JSONPlanRenderer: Sendable {
    public static let formatVersion = "1"

    public init() {}

    public func render(_ plan: Plan) -> String {
        JSONValue.object([
            "format_version": .string(Self.formatVersion),
            "partner_id": .string(plan.partnerID),
            "summary": .object([
                "create": .int(plan.count(.create)), "update": .int(plan.count(.update)), "delete": .int(plan.count(.delete)),
                "replace": .int(plan.count(.replace)), "unknown": .int(plan.unknowns.count), "unchanged": .int(plan.unchangedCount),
            ]),
            "changes": .array(plan.changes.map(Self.json(for:))),
            "unknown": .array(plan.unknowns.map { .object(["address": .string($0.address), "reason": .string($0.reason)]) }),
            "warnings": .array(plan.warnings.map(JSONValue.string)),
        ]).rendered()
    }

    /// One change, its members written in key order (`.sortedObject`: no hashing per change).
    static func json(for change: Change) -> JSONValue {
        typealias M = JSONValue.Member
        var members: [M] = [
            M("action", .string(change.action.rawValue)),
            M("address", .string(change.address)),
            M("after", value(change.after)),
            M("attribute", .string(change.attribute.rawValue)),
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
        members += [
            M("disruptive", .bool(change.disruptive)),
            M("resource", .string(change.resource.address)),
            M("sensitive", .bool(change.sensitive)),
        ]
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
