/// One check per entry of docs/api-assumptions.md (each an `APIAssumptions` member), in
/// the order of that page. The check names are the ones that page lists.
extension DoctorAssessment {
    static func assumptions(_ f: DoctorFindings) -> [DoctorCheck] {
        [
            channelPageSize(f), channelPageOrder(f), channelStorageField(f), disableLocalStorage(f), regionChange(f),
            partnerPatchPartial(f), partnerDefaultRegion(f), webhookUnset(f), channelKeyRejected(f), retryAfter(f),
            rateLimit(f), tokenRenewal(f), channelStatuses(f),
        ]
    }

    static let readOnly = "a write: the doctor only reads"

    // MARK: Paging

    static func channelPageSize(_ f: DoctorFindings) -> DoctorCheck {
        let name = "channel-page-size", title = "A channel page holds as many channels as asked for", assumption = "channelPageSize"
        guard case .read(let page) = f.firstPage else { return blocked(name, title, assumption: assumption, by: "channel-list") }
        let asked = f.requestedPageSize, expected = min(asked, page.total), got = page.channels.count
        var evidence = [
            "asked limit=\(asked) offset=0 sort=\(APIAssumptions.channelPageSort): \(got) channel(s), count \(page.count), total \(page.total), limit \(page.limit) and offset \(page.offset) echoed"
        ]
        if page.count != got { evidence.append("count says \(page.count) but the page holds \(got)") }
        if got >= expected {
            if page.limit < asked, page.limit > 0 {
                evidence.append("the API echoed limit \(page.limit): it may cap pages there; wabaform steps by the page size it receives")
            }
            let pages = max(1, (page.total + asked - 1) / asked)
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .held, evidence: evidence,
                consequence: "channels are listed \(asked) per page: \(pages) request(s) for \(page.total)")
        }
        guard got > 0 else {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence,
                consequence:
                    "the API reported \(page.total) channel(s) but sent none: plan stops with that error rather than plan a partial fleet")
        }
        let pages = (page.total + got - 1) / got
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence,
            consequence: "the API sends at most \(got) channels per page: wabaform steps by \(got) (\(pages) requests for \(page.total))")
    }

    static func channelPageOrder(_ f: DoctorFindings) -> DoctorCheck {
        let name = "channel-page-order", title = "Pages sorted by id neither overlap nor skip", assumption = "channelPageSort"
        guard case .read(let first) = f.firstPage else { return blocked(name, title, assumption: assumption, by: "channel-list") }
        let ids = first.channels.map(\.id)
        let sorted = ids == ids.sorted()
        var evidence = ["first page " + (sorted ? "in id order" : "not in id order: " + examples(ids))]
        var held = sorted
        switch f.pagingProbe {
        case .none:
            evidence.append("fewer than two channels: paging not tried")
        case .nextPage(.read(let next)):
            let nextIDs = next.channels.map(\.id)
            let overlap = Set(ids).intersection(nextIDs).sorted()
            evidence.append(
                "page 2 (offset \(first.channels.count), limit \(first.channels.count)): \(nextIDs.count) channel(s), total \(next.total)")
            if !overlap.isEmpty { evidence.append("channels on both pages: " + examples(overlap)) }
            if next.total != first.total { evidence.append("total changed from \(first.total) to \(next.total)") }
            if let last = ids.last, let head = nextIDs.first, head <= last {
                evidence.append("page 2 starts at \(DoctorText.safe(head)), not after \(DoctorText.safe(last))")
            }
            held =
                held && overlap.isEmpty && next.total == first.total && nextIDs == nextIDs.sorted()
                && (ids.last.map { last in nextIDs.first.map { $0 > last } ?? true } ?? true)
        case .offsetOne(.read(let probe)):
            let answered = probe.channels.map(\.id)
            evidence.append("offset=1 limit=1 answered [\(examples(answered))], expected [\(DoctorText.safe(ids[1]))]")
            held = held && answered == [ids[1]] && probe.total == first.total
        case .nextPage(.refused(_, let message)), .nextPage(.failed(let message)), .nextPage(.unusable(let message)),
            .offsetOne(.refused(_, let message)), .offsetOne(.failed(let message)), .offsetOne(.unusable(let message)):
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .couldNotCheck, evidence: evidence + [message],
                consequence: "the second page could not be read: plan would stop with the same error")
        }
        if held {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .held, evidence: evidence,
                consequence: "wabaform pages with sort=\(APIAssumptions.channelPageSort) and reads every channel once")
        }
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence,
            consequence:
                "wabaform drops repeated channels and, when fewer distinct channels than total arrive, stops (\"the channel list changed while it was read\") rather than plan a partial fleet; send this report to the maintainers"
        )
    }

    // MARK: Local storage

    static func channelStorageField(_ f: DoctorFindings) -> DoctorCheck {
        let field = APIAssumptions.channelRegionField
        let name = "channel-storage-field", title = "Channel objects carry \(field)", assumption = "channelRegionField"
        guard case .read = f.firstPage else { return blocked(name, title, assumption: assumption, by: "channel-list") }
        let channels = f.channelsRead
        guard !channels.isEmpty else {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .couldNotCheck, evidence: ["the partner has no channels"],
                consequence: "nothing to read yet; run the doctor again once a channel exists")
        }
        var values: [String] = [], unknown: [LiveChannel] = []
        for channel in channels {
            switch channel.localStorage {
            case .known(let region): values.append(region ?? "null (default storage)")
            case .unknown: unknown.append(channel)
            }
        }
        var evidence = ["\(values.count) of \(channels.count) channel(s) carry \(field)"]
        if !values.isEmpty { evidence.append("\(field): " + tally(values)) }
        if let example = unknown.first, case .unknown(let reason) = example.localStorage {
            evidence.append("e.g. \(DoctorText.safe(example.id)): \(DoctorText.safe(reason))")
        }
        if unknown.isEmpty {
            return DoctorCheck(
                name: name, title: title, assumption: assumption, status: .held, evidence: evidence,
                consequence: "local_storage rules are planned from \(field)")
        }
        let which = unknown.count == channels.count ? "channels carry" : "\(unknown.count) of \(channels.count) channels carry"
        return DoctorCheck(
            name: name, title: title, assumption: assumption, status: .didNotHold, evidence: evidence,
            consequence: "\(which) no local storage field: local_storage rules will show as unknown for them and are never changed")
    }

    static func disableLocalStorage(_ f: DoctorFindings) -> DoctorCheck {
        DoctorCheck(
            name: "disable-local-storage", title: "local_storage: off is POST …/control/disable_local_storage with {}",
            assumption: "disableLocalStorageEndpoint", status: .couldNotCheck, evidence: [readOnly],
            consequence:
                "apply sends it that way; if the API refuses it, apply reports that change as failed with the API's message and trace id (exit 3)"
        )
    }

    static func regionChange(_ f: DoctorFindings) -> DoctorCheck {
        DoctorCheck(
            name: "region-change", title: "A region-to-region change is disable, then enable",
            assumption: "regionChangeIsDisableThenEnable", status: .couldNotCheck, evidence: [readOnly],
            consequence: "plans show it as -/+ and need --allow-disruptive on a live channel; a refused call is reported as failed (exit 3)"
        )
    }

    // MARK: Partner

    static func partnerPatchPartial(_ f: DoctorFindings) -> DoctorCheck {
        DoctorCheck(
            name: "partner-patch-partial", title: "PATCH /partners/{id} accepts only the fields being changed",
            assumption: "partnerPatchAcceptsPartialBody", status: .couldNotCheck, evidence: [readOnly],
            consequence: "apply sends only the changed fields; if the API refuses that, apply reports the change as failed (exit 3)")
    }

    static func partnerDefaultRegion(_ f: DoctorFindings) -> DoctorCheck {
        var evidence = [readOnly]
        if case .read(let partner) = f.partner {
            evidence.append(
                "GET partner: settings.default_data_localization_region "
                    + (partner.defaultLocalStorage.map(DoctorText.safe) ?? "absent or null (default storage)"))
        }
        return DoctorCheck(
            name: "partner-default-region", title: "The partner's default region is written as settings.default_data_localization_region",
            assumption: "partnerDefaultRegionPatchPath", status: .couldNotCheck, evidence: evidence,
            consequence:
                "partner.default_local_storage is sent in the same PATCH as {\"settings\": {\"default_data_localization_region\": …}}; a refusal is reported as failed (exit 3)"
        )
    }
}
