extension PlanService.Report {
    /// The plan as `plan --out FILE` saves it for `apply FILE`: the plan, keyed digests of the
    /// config and of every secret it carries (a fresh random key per file, so no digest can be
    /// checked against a guess offline without it), the endpoints, and the targets it was
    /// narrowed to. Nil when there is no plan to save (the run failed before one was made).
    public func savedPlan(wabaformVersion: String) -> SavedPlan? {
        guard let plan, let config, let endpoints, let credentials else { return nil }
        let digester = Digester.random(credentials: credentials)
        var saved = SavedPlan(
            plan: plan, digester: digester, configDigest: digester.digest(config, partnerID: plan.partnerID),
            configFiles: config.sourceFiles, apiURL: endpoints.apiURL.absoluteString,
            messagingURL: endpoints.messagingURL.absoluteString, wabaformVersion: wabaformVersion)
        saved.targets = targets.isEverything ? nil : targets.addresses
        return saved
    }
}
