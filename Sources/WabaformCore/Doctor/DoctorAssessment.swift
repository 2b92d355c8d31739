/// Judges what the doctor saw (`DoctorFindings`): pure, so every verdict is a function of
/// the answers alone. Connection checks here; one check per API assumption in
/// `DoctorAssessment+Assumptions.swift`.
enum DoctorAssessment {
    static func checks(_ findings: DoctorFindings) -> [DoctorCheck] {
        [credentials(findings), partnerID(findings), channelList(findings), channelKeys(findings)]
            + assumptions(findings)
    }

    // MARK: Connection

    static func credentials(_ f: DoctorFindings) -> DoctorCheck {
        let name = "credentials", title = "The Partner API accepts the credentials"
        let how = DoctorText.safe(f.credentials.description)
        var signIn: [String] = []
        if case .password = f.credentials { signIn = ["signed in with POST /token (\(f.tokensFetched) token(s) fetched)"] }
        switch f.partner {
        case .read, .refused(status: 403, _), .refused(status: 404, _):
            return DoctorCheck(
                name: name, title: title, status: .held, evidence: ["the Partner API accepted the \(how)"] + signIn,
                consequence: "wabaform signs in with the \(how)")
        case .refused(status: 401, let message):
            return DoctorCheck(
                name: name, title: title, status: .didNotHold, evidence: [message],
                consequence: "nothing can be read: check WABAFORM_API_KEY (or WABAFORM_USERNAME and WABAFORM_PASSWORD)",
                stopsDoctor: true)
        case .refused(_, let message):
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck, evidence: [message],
                consequence:
                    "the Partner API answered with an error: run the doctor again later; quote the trace id to 360dialog support if it stays",
                stopsDoctor: true)
        case .failed(let message):
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck, evidence: [message],
                consequence: "cannot reach the Partner API: check --api-url (WABAFORM_API_URL) and the network",
                stopsDoctor: true)
        case .unusable(let message):
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck, evidence: [message],
                consequence:
                    "the Partner API answered, but not in a form wabaform can use, so plan, apply, drift and export stop here too: if --api-url (WABAFORM_API_URL) is right, send this report to the maintainers",
                stopsDoctor: true)
        case nil:
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck, evidence: ["the partner was not read"],
                consequence: "nothing can be read", stopsDoctor: true)
        }
    }

    static func partnerID(_ f: DoctorFindings) -> DoctorCheck {
        let name = "partner-id", title = "The partner id names a partner these credentials may read"
        let id = DoctorText.safe(f.partnerID)
        switch f.partner {
        case .read(let partner):
            let brand = partner.brandName.map { " (\(DoctorText.safe($0)))" } ?? ""
            return DoctorCheck(
                name: name, title: title, status: .held, evidence: ["GET partner \(id): 200\(brand)"],
                consequence: "wabaform reads and writes partner \(id)")
        case .refused(status: 403, let message), .refused(status: 404, let message):
            return DoctorCheck(
                name: name, title: title, status: .didNotHold, evidence: [message],
                consequence:
                    "check partner.id in the config (or WABAFORM_PARTNER_ID): these credentials do not give access to partner \(id)",
                stopsDoctor: true)
        default:
            return blocked(name, title, by: "credentials")
        }
    }

    static func channelList(_ f: DoctorFindings) -> DoctorCheck {
        let name = "channel-list", title = "The channel list can be read"
        switch f.firstPage {
        case .read(let page):
            let channels = f.channelsRead
            var evidence = ["total \(page.total) channel(s); \(channels.count) read by the doctor"]
            evidence.append("status: " + tally(channels.map { $0.status ?? "(none)" }))
            evidence.append("availability_status: " + tally(channels.map { $0.availabilityStatus ?? "(none)" }))
            return DoctorCheck(
                name: name, title: title, status: .held, evidence: evidence,
                consequence: "plan, drift and export read all \(page.total) channel(s)")
        case .refused(_, let message), .failed(let message), .unusable(let message):
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck, evidence: [message],
                consequence: "plan, drift and export stop with this error: they never plan a partial fleet", stopsDoctor: true)
        case nil:
            return blocked(name, title, by: "partner-id")
        }
    }

    static func channelKeys(_ f: DoctorFindings) -> DoctorCheck {
        let name = "channel-keys", title = "Channel keys: given, accepted, rejected (a sample)"
        guard case .read(let page) = f.firstPage else { return blocked(name, title, by: "channel-list") }
        let channels = f.channelsRead
        guard !f.keys.isEmpty else {
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck, evidence: ["no channel keys given"],
                consequence:
                    "every managed webhook shows as unknown (never changed): give the keys with --channel-keys FILE, WABAFORM_CHANNEL_KEYS_FILE or WABAFORM_CHANNEL_KEY_<CHANNEL_ID>"
            )
        }
        let missing = channels.filter { f.keys.entry(for: $0.id) == nil }.map(\.id)
        var evidence = ["keys given for \(channels.count - missing.count) of the \(channels.count) channel(s) read"]
        if !missing.isEmpty { evidence.append("no key for: " + examples(missing)) }
        if channels.count == page.total {
            let known = Set(channels.map { $0.id.uppercased() })
            let strays = f.keys.channelIDs.filter { !known.contains($0.uppercased()) }
            // Only ids shaped like channel ids are shown: a file with keys and ids swapped must not print a key.
            let shown = strays.filter { $0.uppercased().hasSuffix("CH") && $0.count <= 32 }
            if !strays.isEmpty {
                evidence.append(
                    "keys for \(strays.count) channel(s) the partner does not have" + (shown.isEmpty ? "" : ": " + examples(shown)))
            }
        }
        if f.invalidKeyProbe?.unanswered == true {
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck,
                evidence: evidence + ["the Messaging API did not answer (see channel-key-rejected): no webhook was read"],
                consequence: "check --messaging-url (WABAFORM_MESSAGING_URL) and the network")
        }
        var accepted: [String] = [], rejected: [String] = [], failed: [String] = []
        for read in f.webhookReads {
            let id = DoctorText.safe(read.channelID)
            switch read.result {
            case .read(.set), .read(.none): accepted.append(id)
            case .read(.rejectedKey(let error)):
                let source = read.keySource.map { " (key from \(DoctorText.safe($0)))" } ?? ""
                rejected.append("\(id)\(source): \(error.status) \(DoctorText.safe(error.developerMessage ?? ""))")
            case .read: failed.append(id)
            case .refused(_, let message), .failed(let message), .unusable(let message): failed.append("\(id): \(message)")
            }
        }
        evidence.append(
            "webhooks read with \(f.webhookReads.count) key(s) (--sample \(f.sampleSize)): \(accepted.count) accepted, \(rejected.count) rejected, \(failed.count) failed"
        )
        if !accepted.isEmpty { evidence.append("accepted: " + accepted.joined(separator: ", ")) }
        evidence += rejected.map { "rejected: " + $0 } + failed.map { "failed: " + $0 }
        let missingNote = missing.isEmpty ? "" : "; channels without a key show a managed webhook as unknown (never changed)"
        if !rejected.isEmpty {
            return DoctorCheck(
                name: name, title: title, status: .didNotHold, evidence: evidence,
                consequence:
                    "a rejected key makes that channel's webhook unknown and plan exits 1 naming it: update the key (wabaform never mints one)"
                    + missingNote)
        }
        if accepted.isEmpty {
            return DoctorCheck(
                name: name, title: title, status: .couldNotCheck, evidence: evidence,
                consequence: f.webhookReads.isEmpty
                    ? "no webhook was read (no key for the channels read, or --sample 0)" + missingNote
                    : "no webhook read succeeded: run the doctor again; if it stays, check the Messaging API URL (--messaging-url)")
        }
        return DoctorCheck(
            name: name, title: title, status: .held, evidence: evidence,
            consequence: "webhooks are read with these keys" + missingNote)
    }

    // MARK: Helpers

    /// A check that needs another one to pass first.
    static func blocked(_ name: String, _ title: String, assumption: String? = nil, by other: String) -> DoctorCheck {
        DoctorCheck(
            name: name, title: title, assumption: assumption, status: .couldNotCheck,
            evidence: ["needs the \(other) check to pass"], consequence: "run the doctor again once \(other) holds")
    }

    /// `ready×7, pending×5`: most frequent first, then by name; values escaped.
    static func tally(_ values: [String]) -> String {
        let counts = Dictionary(values.map { (DoctorText.safe($0), 1) }, uniquingKeysWith: +)
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
    }

    /// Up to five, then "and N more"; escaped.
    static func examples(_ values: [String]) -> String {
        let shown = values.prefix(5).map(DoctorText.safe).joined(separator: ", ")
        return values.count > 5 ? shown + " and \(values.count - 5) more" : shown
    }
}
