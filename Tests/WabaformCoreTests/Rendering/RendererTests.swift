import Foundation
import Testing
import WabaformTestSupport
@testable import WabaformCore

@Suite struct RendererTests {
    let golden = Golden(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden"))

    @Test func textGolden() throws {
        try golden.check(TextPlanRenderer(color: false).render(SamplePlans.everything), against: "everything.txt")
        try golden.check(TextPlanRenderer(color: false).render(SamplePlans.empty), against: "empty.txt")
    }

    @Test func textColourOnlyWhenAsked() {
        let plain = TextPlanRenderer(color: false).render(SamplePlans.everything)
        let coloured = TextPlanRenderer(color: true).render(SamplePlans.everything)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[32m+\u{1B}[0m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression) == plain)
    }

    @Test func summaryLine() {
        #expect(SamplePlans.everything.summaryLine == "Plan: 3 to create, 3 to update, 1 to delete, 1 to replace; 1 unknown.")
    }

    @Test func jsonGolden() throws {
        try golden.check(JSONPlanRenderer().render(SamplePlans.everything), against: "everything.json")
        try golden.check(JSONPlanRenderer().render(SamplePlans.empty), against: "empty.json")
    }

    @Test func jsonEscapesAndSortedObjectsWriteLikeObjects() {
        let tricky = "a\"b\\c\nd\te\u{1}f/é"
        #expect(JSONValue.string(tricky).compact() == #""a\"b\\c\nd\te\u0001f/é""#)
        #expect(JSONValue.string("plain https://h.example.com/wa").compact() == #""plain https://h.example.com/wa""#)
        let members: [JSONValue.Member] = [.init("a", .int(1)), .init("b", .array([.null, .bool(true)])), .init("c", .string(tricky))]
        let dictionary = JSONValue.object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) }))
        #expect(JSONValue.sortedObject(members).rendered() == dictionary.rendered())
        #expect(JSONValue.sortedObject(members).compact() == dictionary.compact())
    }

    @Test func jsonIsDeterministic() {
        let shuffled = Plan(
            partnerID: "demoPA", changes: SamplePlans.everything.changes.reversed(), unknowns: SamplePlans.everything.unknowns,
            unchangedCount: 9, warnings: SamplePlans.everything.warnings)
        #expect(JSONPlanRenderer().render(shuffled) == JSONPlanRenderer().render(SamplePlans.everything))
    }

    @Test func markdownGolden() throws {
        try golden.check(MarkdownPlanRenderer().render(SamplePlans.everything), against: "everything.md")
    }

    @Test func markdownIsTruncatedBelowTheLimitWithANote() {
        let many = (0..<5_000).map { index in
            Change(
                resource: SamplePlans.channel("fleet\(index)CH"), attribute: .channelWebhook, action: .update,
                before: .webhook(url: "https://old.example.com/\(index)", headers: []),
                after: .webhook(url: "https://new.example.com/\(index)", headers: []))
        }
        let markdown = MarkdownPlanRenderer().render(Plan(partnerID: "demoPA", changes: many))
        #expect(markdown.count < 65_000)
        #expect(markdown.contains("more change(s) not shown"))
        #expect(markdown.contains("Plan: 0 to create, 5000 to update"))
    }

    @Test func noRendererRevealsASecret() {
        for output in [
            TextPlanRenderer(color: false).render(SamplePlans.everything),
            TextPlanRenderer(color: true).render(SamplePlans.everything),
            JSONPlanRenderer().render(SamplePlans.everything),
            MarkdownPlanRenderer().render(SamplePlans.everything),
            "\(SamplePlans.everything)", String(reflecting: SamplePlans.everything),
        ] {
            #expect(!output.contains("super-secret"))
        }
    }

    @Test func jsonValidatesAgainstThePlanSchema() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let directory = try Scratch.directory("plan-schema")
        let good = directory + "/good.json", bad = directory + "/bad.json"
        try JSONPlanRenderer().render(SamplePlans.everything).write(toFile: good, atomically: true, encoding: .utf8)
        try JSONPlanRenderer().render(SamplePlans.everything).replacingOccurrences(of: "\"update\"", with: "\"upgrade\"")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let schema = root.appendingPathComponent("schemas/plan.schema.json").path
        #expect(try JSONSchemaCheck.validate(schema: schema, instance: good) == nil)
        #expect(try JSONSchemaCheck.validate(schema: schema, instance: bad) != nil, "the check must be able to fail")
    }
}
