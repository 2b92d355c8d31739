import Foundation

/// The plan as versioned, deterministic JSON (`schemas/plan.schema.json`): sorted keys,
/// changes sorted by address, no timestamps. Header values appear only as `(sensitive)`.
public struct JSONPlanRenderer: Sendable {
    public static let formatVersion = "1"

    public init() {}

    public func render(_ plan: Plan) -> String {
        let object: [String: Any] = [
            "format_version": Self.formatVersion,
            "partner_id": plan.partnerID,
            "summary": [
                "create": plan.count(.create), "update": plan.count(.update), "delete": plan.count(.delete),
                "replace": plan.count(.replace), "unknown": plan.unknowns.count, "unchanged": plan.unchangedCount,
            ],
            "changes": plan.changes.map(Self.json(for:)),
            "unknown": plan.unknowns.map { ["address": $0.address, "reason": $0.reason] },
            "warnings": plan.warnings,
        ]
        return Self.serialize(object)
    }

    static func json(for change: Change) -> [String: Any] {
        var object: [String: Any] = [
            "address": change.address,
            "resource": change.resource.address,
            "attribute": change.attribute.rawValue,
            "action": change.action.rawValue,
            "before": value(change.before),
            "after": value(change.after),
            "disruptive": change.disruptive,
            "sensitive": change.sensitive,
        ]
        if let reason = change.disruptionReason, change.disruptive { object["disruption_reason"] = reason }
        if case .channel(let identity) = change.resource {
            object["channel"] = [
                "id": identity.id, "client_id": identity.clientID, "phone_number": identity.phoneNumber,
                "client_name": identity.clientName, "status": identity.status,
            ]
        }
        let changedSecrets = ChangeLines.lines(for: change).filter { $0.text.contains(".headers.") }
            .map { String($0.text.prefix { $0 != ":" }) }
        if !changedSecrets.isEmpty { object["changed_secrets"] = changedSecrets }
        return object
    }

    static func value(_ value: PlanValue) -> Any {
        switch value {
        case .none: NSNull()
        case .text(let text): text
        case .region(let code): code
        case .webhook(let url, let headers):
            ["url": url, "headers": Dictionary(headers.map { ($0.name, "(sensitive)") }, uniquingKeysWith: { first, _ in first })]
                as [String: Any]
        }
    }

    /// A JSON string literal.
    static func quoteJSON(_ string: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [string], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    static func serialize(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
