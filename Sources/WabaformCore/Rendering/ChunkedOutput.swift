/// Where a renderer writes a plan as it renders it. The renderer appends to a buffer of its
/// own and, at its checkpoints (between changes, right after a line break it wrote), hands it
/// here: once it holds `chunkSize` bytes or more it goes to `emit` and is emptied. A plan of
/// 100,000 channels is written in chunks of about 64 KiB instead of being built whole as one
/// 40 MB string (and copied twice more on its way out).
///
/// Every chunk ends right after a line break the renderer wrote, and the renderers escape
/// line breaks inside values (JSON as `\n`, text and Markdown as shown escapes), so a filter
/// applied per chunk — the CLI's secret redaction — sees whole lines and cuts what it would
/// cut from the whole text. The chunks, concatenated, are exactly what `render` returns.
public struct ChunkedOutput {
    public static let defaultChunkSize = 64 * 1024

    public let chunkSize: Int
    private let emit: (String) -> Void

    /// `emit` receives each chunk, in order.
    public init(chunkSize: Int = ChunkedOutput.defaultChunkSize, emit: @escaping (String) -> Void) {
        self.chunkSize = max(1, chunkSize)
        self.emit = emit
    }

    /// A renderer's checkpoint: `buffer` ends right after a line break the renderer wrote.
    /// Emits it and empties it when it has grown to a chunk.
    func checkpoint(_ buffer: inout String) {
        assert(buffer.isEmpty || buffer.utf8.last == UInt8(ascii: "\n"), "a chunk must end right after a line break")
        guard buffer.utf8.count >= chunkSize else { return }
        emit(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Emits whatever is left. The renderer's last call.
    func finish(_ buffer: inout String) {
        guard !buffer.isEmpty else { return }
        emit(buffer)
        buffer = ""
    }

    /// A buffer for a renderer: room for a chunk and the change that overflows it.
    func makeBuffer() -> String {
        var buffer = ""
        buffer.reserveCapacity(min(chunkSize, 1 << 20) + 4096)
        return buffer
    }

    /// What `render(_:to:)` writes, as one string.
    static func collect(_ render: (ChunkedOutput) -> Void) -> String {
        var whole = ""
        render(ChunkedOutput(chunkSize: .max, emit: { whole += $0 }))
        return whole
    }
}
