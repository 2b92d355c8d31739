import Foundation

/// `wabaform drift`: the plan, read-only. It holds only a `ReadOnlyPartnerAPI`, so no code
/// path here can write; a test also checks the sandbox saw nothing but GETs.
public enum DriftService {
    public static func run(
        _ request: PlanService.Request, progress: (@Sendable (LiveStateReader.Progress) -> Void)? = nil
    ) async -> PlanService.Report {
        var report = PlanService.Report()
        guard let prepared = PlanService.prepare(request, into: &report) else { return report }
        do {
            try await ReadOnlyPartnerAPI.withReader(prepared.connection.client) { reader in
                await PlanService.plan(
                    prepared, reader: LiveStateReader(client: reader, keys: prepared.connection.keys), strict: request.strict,
                    progress: progress, into: &report)
            }
        } catch {
            report.errors.append(ServiceError(error))
        }
        return report
    }
}
