// Measures the CPU time and memory of planning and rendering N channels already in memory —
// no network — for docs/performance.md. Build and run in release:
//   swift run -c release wabaform-bench [channels]
// Text and JSON are rendered twice: streamed (`render(_:to:)`, as `wabaform plan` writes them:
// in chunks that are counted and dropped) and whole (`render(_:)`, one string).
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

/// Resident memory now (not the peak), from /proc/self/statm.
func residentMegabytes() -> Double {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
        let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

func memory() -> String { String(format: "resident %.0f MB, peak so far %.0f MB", residentMegabytes(), peakMegabytes()) }

/// Renders through a `ChunkedOutput` that counts the bytes of each chunk and drops it.
func streamedBytes(_ render: (ChunkedOutput) -> Void) -> Int {
    var bytes = 0
    render(ChunkedOutput(emit: { bytes += $0.utf8.count }))
    return bytes
}

print("channels: \(count)")
print("start: \(memory())")

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
channels = []
webhooks = [:]
print("live fleet built: \(memory())")

let start = cpuSeconds()
let outcome = Planner.plan(config: config, partnerID: "benchPA", live: live)
let planned = cpuSeconds()
guard let plan = outcome.plan else { fatalError("no plan") }
print("planned: \(memory())")

let textBytes = streamedBytes { TextPlanRenderer().render(plan, to: $0) }
let textDone = cpuSeconds()
let jsonBytes = streamedBytes { JSONPlanRenderer().render(plan, to: $0) }
let jsonDone = cpuSeconds()
let markdown = MarkdownPlanRenderer().render(plan)
let markdownDone = cpuSeconds()
print("rendered, streamed: \(memory())")

print("changes: \(plan.changes.count) (\(plan.summaryLine))")
print(String(format: "plan CPU: %.3f s", planned - start))
print(String(format: "render text CPU, streamed: %.3f s (%d bytes)", textDone - planned, textBytes))
print(String(format: "render json CPU, streamed: %.3f s (%d bytes)", jsonDone - textDone, jsonBytes))
print(String(format: "render markdown CPU: %.3f s (%d bytes)", markdownDone - jsonDone, markdown.utf8.count))
print(String(format: "plan + text + json CPU: %.3f s", jsonDone - start))
print(String(format: "peak memory, streamed: %.0f MB", peakMegabytes()))

// The same renderers building one string each, held together as before streaming.
let wholeStart = cpuSeconds()
let text = TextPlanRenderer().render(plan)
let json = JSONPlanRenderer().render(plan)
let wholeDone = cpuSeconds()
precondition(text.utf8.count == textBytes && json.utf8.count == jsonBytes, "streamed and whole renderings differ in size")
print(String(format: "render text + json CPU, whole strings: %.3f s", wholeDone - wholeStart))
print("rendered, whole strings held: \(memory())")

// A config as `wabaform export` writes one: `select: all` for the common values and an `id`
// rule for each exception, here every tenth channel. Finding a channel's rules once tried
// every rule against every channel (docs/performance.md).
var exported =
    "version: 1\npartner: { id: benchPA }\nchannels:\n  - select: all\n    webhook: { url: \"https://hooks.example.com/wa/{channel_id}\" }\n"
for index in stride(from: 0, to: count, by: 10) {
    exported += "  - id: ch\(index)CH\n    webhook: { url: \"https://old.example.com/ch\(index)CH\" }\n"
}
let exportedLoaded = ConfigLoader.load(sources: [(path: "exported.yaml", text: exported)], environment: [:])
guard let exportedConfig = exportedLoaded.config else { fatalError(Diagnostic.renderText(exportedLoaded.diagnostics)) }
let exportedStart = cpuSeconds()
guard let exportedPlan = Planner.plan(config: exportedConfig, partnerID: "benchPA", live: live).plan else { fatalError("no plan") }
print(
    String(
        format: "plan CPU, %d id rules (an exported config): %.3f s (%d changes)", exportedConfig.channelRules.count - 1,
        cpuSeconds() - exportedStart, exportedPlan.changes.count))
