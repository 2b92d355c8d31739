// Measures the CPU time of planning and rendering N channels already in memory — no network —
// for docs/performance.md. Build and run in release:
//   swift run -c release wabaform-bench [channels]
import Foundation
import PartnerAPIRules
import WabaformConfig
import WabaformCore

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func peakMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let yaml = """
    version: 1
    partner: { id: benchPA, webhook_url: "https://hooks.example.com/partner" }
    channels:
      - select: all
        webhook:
          url: https://hooks.example.com/wa/{channel_id}
          headers: { X-Hook-Secret: "${HOOK_SECRET:-bench}" }
        local_storage: DE
      - select: { client.name: "Client 7*" }
        local_storage: GB
    """
let loaded = ConfigLoader.load(sources: [(path: "bench.yaml", text: yaml)], environment: [:])
guard let config = loaded.config else { fatalError(Diagnostic.renderText(loaded.diagnostics)) }

// A fleet where a third of the webhooks and a fifth of the regions differ from the config.
var channels: [LiveChannel] = []
var webhooks: [String: LiveValue<LiveWebhook?>] = [:]
channels.reserveCapacity(count)
for index in 0..<count {
    let id = "ch\(index)CH"
    let client = "Client \(index % 100)"
    channels.append(
        LiveChannel(
            id: id, clientID: "cl\(index % 100)CL", status: index % 10 == 0 ? "pending" : "ready",
            phoneNumber: "4930\(index)", clientName: client, wabaID: "wa\(index % 100)WA",
            localStorage: .known(index % 5 == 0 ? nil : "DE")))
    let url = index % 3 == 0 ? "https://old.example.com/\(id)" : "https://hooks.example.com/wa/\(id)"
    webhooks[id] = .known(LiveWebhook(url: url, headers: ["X-Hook-Secret": Secret("bench")]))
}
let live = LiveSnapshot(partner: LivePartner(id: "benchPA"), channels: channels, webhooks: webhooks)

let start = cpuSeconds()
let outcome = Planner.plan(config: config, partnerID: "benchPA", live: live)
let planned = cpuSeconds()
guard let plan = outcome.plan else { fatalError("no plan") }
let text = TextPlanRenderer().render(plan)
let textDone = cpuSeconds()
let json = JSONPlanRenderer().render(plan)
let jsonDone = cpuSeconds()
let markdown = MarkdownPlanRenderer().render(plan)
let markdownDone = cpuSeconds()

print("channels: \(count)")
print("changes: \(plan.changes.count) (\(plan.summaryLine))")
print(String(format: "plan CPU: %.3f s", planned - start))
print(String(format: "render text CPU: %.3f s (%d bytes)", textDone - planned, text.utf8.count))
print(String(format: "render json CPU: %.3f s (%d bytes)", jsonDone - textDone, json.utf8.count))
print(String(format: "render markdown CPU: %.3f s (%d bytes)", markdownDone - jsonDone, markdown.utf8.count))
print(String(format: "plan + text + json CPU: %.3f s", jsonDone - start))
print(String(format: "peak memory: %.0f MB", peakMegabytes()))
