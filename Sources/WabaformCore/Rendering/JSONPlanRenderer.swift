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

    static func json(for change: Change) -> JSONValue {
        var object: [String: JSONValue] = [
            "address": .string(change.address),
            "resource": .string(change.resource.address),
            "attribute": .string(change.attribute.rawValue),
            "action": .string(change.action.rawValue),
            "before": value(change.before),
            "after": value(change.after),
            "disruptive": .bool(change.disruptive),
            "sensitive": .bool(change.sensitive),
        ]
        if let reason = change.disruptionReason, change.disruptive { object["disruption_reason"] = .string(reason) }
        if case .channel(let identity) = change.resource {
            object["channel"] = .object([
                "id": .string(identity.id), "client_id": .string(identity.clientID), "phone_number": .string(identity.phoneNumber),
                "client_name": .string(identity.clientName), "status": .string(identity.status),
            ])
        }
        if change.sensitive {
            let changedSecrets = ChangeLines.lines(for: change).filter { $0.text.contains(".headers.") }
                .map { JSONValue.string(String($0.text.prefix { $0 != ":" })) }
            if !changedSecrets.isEmpty { object["changed_secrets"] = .array(changedSecrets) }
        }
        return .object(object)
    }

    static func value(_ value: PlanValue) -> JSONValue {
        switch value {
        case .none: .null
        case .text(let text): .string(text)
        case .region(let code): .string(code)
        case .webhook(let url, let headers):
            .object([
                "url": .string(url),
                "headers": .object(Dictionary(headers.map { ($0.name, JSONValue.string("(sensitive)")) }, uniquingKeysWith: { first, _ in first })),
            ])
        }
    }
}
