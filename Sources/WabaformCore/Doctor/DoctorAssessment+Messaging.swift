/// The assumption checks about the Messaging API, throttling and sign-in.
extension DoctorAssessment {
    // MARK: Channel webhook

    static func webhookUnset(_ f: DoctorFindings) -> DoctorCheck {
        let name = "webhook-unset", title = "A channel without a webhook answers 404", assumption = "channelWebhookIsUnset"
        var as404: [String] = [], asOther: [String] = [], unusable: [String] = []
        for read in f.webhookReads {
            let id = DoctorText.safe(read.channelID)
            let last = read.statuses.last.flatMap { $0 }
            switch read.result {
            case .read(.none) where last == 404: as404.append(id)
            case .read(.none): asOther.append("\(id): \(last.map(String.init) ?? "no status")")
            case .failed(let message) where last.map { (200..<300).contains($0) } == true: unusable.append("\(id): \(message)")
            case .unusable(let message): unusable.append("\(id): \(message)")
            default: break
            }
        }
        var evidence: [String] = []
        if !as404.isEmpty { evidence.append("404, read as no webhook: " + as404.joined(separator: ", ")) }
        if !asOther.isEmpty { evidence.append("no webhook answered as a success: " + asOther.joined(separator: ", ")) }
        evidence += unusable.map { "an answer wabaform could not use: " + $0 }
        if !asOther.isEmpty || !unusable.isEmpty {
            let consequence =
                unusable.isEmpty
                ? "no webhook is also answered with a success status; wabaform reads that as no webhook too"
                : "those channels' webhooks show as unknown (never changed); send this report to the maintainers"
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence, consequence: consequence)
        }
        if !as404.isEmpty {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .held, evidence: evidence,
                consequence: "a channel without a webhook plans as + webhook.url")
        }
        let read = f.webhookReads.filter { if case .read = $0.result { true } else { false } }.count
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .couldNotCheck,
            evidence: [read == 0 ? "no webhook was read" : "each of the \(read) channel(s) read has a webhook"],
            consequence: "wabaform reads 404 as no webhook; a larger --sample may find a channel without one")
    }

    static func channelKeyRejected(_ f: DoctorFindings) -> DoctorCheck {
        let name = "channel-key-rejected", title = "The Messaging API refuses a bad channel key with 401 or 403",
            assumption = "channelKeyRejected"
        guard let probe = f.invalidKeyProbe else { return blocked(name, title, assumption: assumption, by: "channel-list") }
        let shown = "a key that cannot be valid was answered"
        switch probe.result {
        case .read(.rejectedKey(let error)):
            let message = error.developerMessage.map { " " + DoctorText.safe($0) } ?? ""
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .held, evidence: ["\(shown) \(error.status)\(message)"],
                consequence: "a refused key makes only that channel's webhook unknown; plan names the channel and exits 1")
        case .read(.none):
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .didNotHold, evidence: ["\(shown) 404"],
                consequence:
                    "a refused key looks like a channel without a webhook: do not apply webhook changes; send this report to the maintainers"
            )
        case .read:
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .didNotHold, evidence: ["\(shown) with success"],
                consequence: "the Messaging API did not refuse a bad key: send this report to the maintainers")
        case .refused(let status, let message):
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .didNotHold, evidence: ["\(shown) \(status): \(message)"],
                consequence:
                    "a refused key is answered \(status), which wabaform counts as a failed read: that channel's webhook shows as unknown")
        case .unusable(let message):
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .didNotHold, evidence: [message],
                consequence:
                    "the answer to a bad key could not be used: webhook reads with a refused key fail; send this report to the maintainers")
        case .failed(let message):
            let unreachable = probe.unanswered
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: unreachable ? .couldNotCheck : .didNotHold,
                evidence: [message],
                consequence: unreachable
                    ? "cannot reach the Messaging API: check --messaging-url (WABAFORM_MESSAGING_URL) and the network"
                    : "the answer to a bad key could not be used: webhook reads with a refused key fail; send this report to the maintainers",
                stopsDoctor: unreachable)
        }
    }

    // MARK: Throttling

    static func retryAfter(_ f: DoctorFindings) -> DoctorCheck {
        let name = "retry-after", title = "A 429 carries Retry-After", assumption = "honoursRetryAfter"
        let throttled = f.attempts.filter { $0.status == 429 }
        guard !throttled.isEmpty else {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .couldNotCheck,
                evidence: ["no 429 in \(f.attempts.count) request(s)"],
                consequence:
                    "when a 429 carries Retry-After wabaform waits at least that long (up to 120 s, else it gives up), otherwise it backs off exponentially with jitter"
            )
        }
        let with = throttled.filter(\.sentRetryAfter)
        let waits = Set(with.compactMap(\.retryAfter).map(DoctorHostStats.milliseconds)).sorted().map { "\($0) ms" }
        var evidence = ["\(throttled.count) answer(s) 429, \(with.count) with Retry-After"]
        if !waits.isEmpty { evidence.append("Retry-After asked for " + waits.joined(separator: ", ")) }
        if with.count == throttled.count {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .held, evidence: evidence,
                consequence: "wabaform waits at least as long as Retry-After asks (up to 120 s) before sending again")
        }
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence,
            consequence:
                "without Retry-After wabaform backs off exponentially with jitter (250 ms doubling up to 8 s, ten 429s per request at most)"
        )
    }

    static func rateLimit(_ f: DoctorFindings) -> DoctorCheck {
        let name = "rate-limit", title = "The API does not throttle at wabaform's request rate", assumption = "defaultRequestsPerSecond"
        let limit =
            f.requestsPerSecond.map { "at most \(formatRate($0)) requests per second per host" }
            ?? "no client-side rate limit (loopback)"
        let throttled = f.attempts.filter { $0.status == 429 }.count
        let evidence = ["\(throttled) of \(f.attempts.count) request(s) answered 429; client-side: \(limit)"]
        if throttled > 0 {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence,
                consequence:
                    "wabaform waits 429s out; if runs are slow or give up, lower --rate-limit (default \(formatRate(APIAssumptions.defaultRequestsPerSecond)) per second per host)"
            )
        }
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .held,
            evidence: evidence + ["the doctor sends few requests; a large fleet sends many more"],
            consequence: "wabaform keeps to \(limit) (--rate-limit) and waits out any 429")
    }

    static func formatRate(_ rate: Double) -> String {
        rate == rate.rounded() && abs(rate) < 1e9 ? String(Int(rate)) : String(rate)
    }

    // MARK: Sign-in

    static func tokenRenewal(_ f: DoctorFindings) -> DoctorCheck {
        let name = "token-renewal", title = "Bearer sign-in gives a token wabaform can renew", assumption = "tokenRenewalMargin(expiresIn:)"
        guard case .password = f.credentials else {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .couldNotCheck,
                evidence: ["the partner key is in use: no bearer token"], consequence: "nothing to renew")
        }
        guard case .read = f.partner, f.tokensFetched > 0 else { return blocked(name, title, assumption: assumption, by: "credentials") }
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .held,
            evidence: ["POST /token gave a token the Partner API accepted (\(f.tokensFetched) fetched)"],
            consequence: "the token is renewed a tenth of its lifetime (at most 60 s) before expires_in runs out, and after any 401")
    }
}
