/// The doctor's report as text (for a person) and as JSON (for a support ticket). Both are
/// pure and deterministic in order; only the measured times vary from run to run. Every
/// string from the API or the user was escaped when the report was made.
extension DoctorReport {
    public func renderText() -> String {
        var out = ""
        if let partnerID { out += "wabaform doctor: partner \(DoctorText.safe(partnerID))\n" }
        if let endpoints {
            out += "  Partner API   \(DoctorText.safe(endpoints.apiURL.absoluteString))\n"
            out += "  Messaging API \(DoctorText.safe(endpoints.messagingURL.absoluteString))\n"
        }
        for check in checks {
            out += "\n\(check.name): \(check.status.label)\n"
            out +=
                "  \(check.title)"
                + (check.assumption.map { $0.hasPrefix("DisruptionRule.") ? " (\($0))" : " (APIAssumptions.\($0))" } ?? "") + "\n"
            for line in check.evidence { out += "  seen: \(line)\n" }
            out += "  so:   \(check.consequence)\n"
        }
        if !hosts.isEmpty {
            out += "\nHosts:\n"
            for host in hosts {
                var line = "  \(host.api) \(DoctorText.safe(host.host)): \(host.requests) request(s)"
                if let median = host.medianMilliseconds, let max = host.maxMilliseconds {
                    line += ", median \(median) ms, slowest \(max) ms"
                }
                if host.unanswered > 0 { line += ", \(host.unanswered) unanswered" }
                let statuses = host.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
                if !statuses.isEmpty { line += "; status " + statuses.joined(separator: ", ") }
                line += host.throttled == 0 ? "; no 429" : "; \(host.throttled)× 429 (\(host.retryAfterSent) with Retry-After)"
                out += line + "\n"
            }
        }
        if !requestsByMethod.isEmpty {
            let methods = requestsByMethod.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            out += "Requests sent: " + methods.joined(separator: ", ") + "\n"
        }
        if !checks.isEmpty {
            out += "\n\(count(.held)) held, \(count(.didNotHold)) did not hold, \(count(.couldNotCheck)) could not check.\n"
            let verdict =
                switch status {
                case .success: "Every check that could be made held.\n"
                case .differs: "Some checks did not hold: wabaform adapts as each \"so:\" line says.\n"
                default: "The doctor could not check your account: fix what the checks above name, then run it again.\n"
                }
            out += verdict
        }
        return out
    }

    public func renderJSON() -> String {
        var object: [String: JSONValue] = [
            "exit_code": .int(Int(status.rawValue)),
            "errors": .array(errorMessages.map { .string($0) }),
            "warnings": .array(warnings.map { .string(DoctorText.safe($0)) }),
            "partner_id": partnerID.map { .string(DoctorText.safe($0)) } ?? .null,
            "checks": .array(checks.map(Self.json)),
            "hosts": .array(hosts.map(Self.json)),
            "requests": .object(requestsByMethod.mapValues { .int($0) }),
            "summary": .object(Dictionary(uniqueKeysWithValues: DoctorCheck.Status.allCases.map { ($0.rawValue, .int(count($0))) })),
        ]
        if let endpoints {
            object["endpoints"] = .object([
                "api_url": .string(endpoints.apiURL.absoluteString), "messaging_url": .string(endpoints.messagingURL.absoluteString),
            ])
        }
        if !diagnostics.isEmpty {
            object["diagnostics"] = .array(
                diagnostics.map { .string(DoctorText.safe("\($0.location): \($0.severity.rawValue): \($0.message)")) })
        }
        return JSONValue.object(object).rendered()
    }

    static func json(_ check: DoctorCheck) -> JSONValue {
        .object([
            "name": .string(check.name), "title": .string(check.title),
            "assumption": check.assumption.map { .string($0) } ?? .null, "status": .string(check.status.rawValue),
            "evidence": .array(check.evidence.map { .string($0) }), "consequence": .string(check.consequence),
            "stops_doctor": .bool(check.stopsDoctor),
        ])
    }

    static func json(_ host: DoctorHostStats) -> JSONValue {
        .object([
            "api": .string(host.api), "host": .string(host.host), "requests": .int(host.requests),
            "unanswered": .int(host.unanswered), "median_ms": host.medianMilliseconds.map { .int($0) } ?? .null,
            "max_ms": host.maxMilliseconds.map { .int($0) } ?? .null,
            "statuses": .object(Dictionary(uniqueKeysWithValues: host.statuses.map { (String($0.key), .int($0.value)) })),
            "throttled": .int(host.throttled), "retry_after_sent": .int(host.retryAfterSent),
            "retry_after_ms": .array(host.retryAfterMilliseconds.map { .int($0) }),
        ])
    }
}
