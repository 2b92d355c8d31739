/// Runs `transform` over `items` with at most `width` at once (a task group with a width
/// limit), keeping the input order. The first error cancels the rest and is thrown.
enum FanOut {
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], width: Int, onEach: (Int) -> Void = { _ in },
        _ transform: @escaping @Sendable (Item) async throws -> Output
    ) async throws -> [Output] {
        guard !items.isEmpty else { return [] }
        return try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: items.count)
            var next = 0
            var done = 0
            func start() {
                let index = next
                let item = items[index]
                next += 1
                group.addTask { (index, try await transform(item)) }
            }
            for _ in 0..<min(max(1, width), items.count) { start() }
            while let (index, output) = try await group.next() {
                results[index] = output
                done += 1
                onEach(done)
                if next < items.count { start() }
            }
            return results.map { $0! }
        }
    }
}
