extension DoctorAssessment {
    // MARK: Channel statuses

    /// Whether the channel statuses seen are ones wabaform knows. Which local storage changes
    /// need `--allow-disruptive` depends on them (`DisruptionRule`): an unknown status is
    /// treated as live, which is safe but asks for consent that may not be needed.
    static func channelStatuses(_ f: DoctorFindings) -> DoctorCheck {
        let name = "channel-statuses", title = "Channel statuses are ones wabaform knows"
        let assumption = "DisruptionRule.liveReason(status:availability:)"
        guard case .read = f.firstPage else { return blocked(name, title, assumption: assumption, by: "channel-list") }
        let channels = f.channelsRead
        guard !channels.isEmpty else {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .couldNotCheck,
                evidence: ["the partner has no channels"], consequence: "nothing to judge yet")
        }
        let known = DisruptionRule.referenceStatuses.union(DisruptionRule.preLiveStatuses).union(DisruptionRule.liveStatuses)
        let normalized = channels.map { ($0.status ?? "").trimmingCharacters(in: .whitespaces).lowercased() }
        let preLive = channels.filter { !DisruptionRule.isDisruptive(status: $0.status, availability: $0.availabilityStatus) }
        let unknown = normalized.filter { !$0.isEmpty && !known.contains($0) }
        let missing = normalized.filter(\.isEmpty).count
        var evidence = ["\(preLive.count) of \(channels.count) channel(s) read are known not to be live yet"]
        if !unknown.isEmpty { evidence.append("statuses wabaform does not know: " + tally(unknown)) }
        if missing > 0 { evidence.append("\(missing) channel(s) without a status") }
        let consequence =
            "local storage changes on the other \(channels.count - preLive.count) channel(s) are disruptive and need --allow-disruptive"
        if unknown.isEmpty, missing == 0 {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .held, evidence: evidence, consequence: consequence)
        }
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence,
            consequence: consequence + "; an unknown or missing status is treated as live (safe, but it asks for consent)")
    }
}
