import OpenAPIRuntime
import Synchronization

/// Bodies read whole, remembered beside the bytes they were made from, so the next layer
/// that needs the bytes gets them without iterating the `HTTPBody` again.
///
/// Every request's answer is read whole once (by the transport, so the layers above see a
/// complete, replayable body), then the throttle layer, the error-envelope layer and the
/// deserializer each need its bytes. Iterating an `HTTPBody` goes through OpenAPIRuntime's
/// unspecialized generic async iterators, which instantiate type metadata at run time on
/// every step: about 40,000 instructions a time, three times a request, for a body of a few
/// dozen bytes (docs/performance.md). A body made here (`body(_:)`) is found again by
/// identity (`===`, a strong reference is kept, so an address is never reused while it is
/// remembered); anything else, or a body forgotten since, is read the usual way
/// (`ArraySlice(collecting:upTo:)`), with the same limit and the same error past it.
enum CollectedBody {
    /// Bodies at most this large are remembered (a webhook answer or write: well under 1 KiB;
    /// a page of channels is read the usual way).
    static let rememberedBytes = 16 << 10
    /// How many are remembered, newest first: each body is looked up right after it is made,
    /// by the layer above, so this only needs to cover the requests in flight.
    static let capacity = 256

    private struct Entry {
        let body: HTTPBody
        let bytes: ArraySlice<UInt8>
    }

    private static let remembered = Mutex<[Entry]>([])

    /// A body of `bytes` (iterable any number of times), remembered when small.
    static func body(_ bytes: ArraySlice<UInt8>) -> HTTPBody {
        let body = HTTPBody(bytes)
        guard bytes.count <= rememberedBytes else { return body }
        remembered.withLock { entries in
            if entries.count >= capacity { entries.removeFirst(capacity / 2) }
            entries.append(Entry(body: body, bytes: bytes))
        }
        return body
    }

    /// The bytes of `body`: remembered, or read whole; past `maxBytes`, the error
    /// `ArraySlice(collecting:upTo:)` throws.
    static func bytes(of body: HTTPBody, upTo maxBytes: Int) async throws -> ArraySlice<UInt8> {
        let known = remembered.withLock { entries -> ArraySlice<UInt8>? in
            for entry in entries.reversed() where entry.body === body { return entry.bytes }
            return nil
        }
        if let known, known.count <= maxBytes { return known }
        return try await ArraySlice(collecting: body, upTo: maxBytes)
    }
}
