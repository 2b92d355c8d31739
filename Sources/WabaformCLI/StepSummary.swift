import Foundation

/// GitHub Actions' job summary: a Markdown file named by `GITHUB_STEP_SUMMARY`, appended to.
enum StepSummary {
    static func append(_ markdown: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((markdown + "\n").utf8))
    }
}
