import LMDB

/// One snapshot shared by several reads of one thread, for a burst of small calls (the
/// GetParagraph requests one iteration of a daemon's event loop reads): the first `read`
/// takes a pooled read transaction, later ones reuse it, `end()` gives it back.
///
/// Not thread-safe: one thread, or one event loop, uses it. Hold it for a burst, not
/// longer: an open snapshot keeps the pages it sees from being reused by writers, and
/// reads through it do not see what was committed after its first `read`. While it holds
/// a snapshot, its thread must not begin another read (`Store.read`, another session):
/// when the map has to be resized, a new read waits for every held snapshot to be given
/// back, its own included, and would wait forever.
public final class ReadSession {
    private let store: Store
    // Read on every GetParagraph call of the daemon: no dynamic exclusivity check (each
    // access is a plain load or store, none overlaps another).
    @exclusivity(unchecked) private var txn: OpaquePointer?

    /// Paragraph addresses shared by the sessions of this thread, if any.
    private let cache: ParagraphCache?
    /// The id of the held snapshot (valid while `txn` is held).
    @exclusivity(unchecked) private var snapshot: UInt64 = 0

    /// A session on `store`, holding nothing yet, reading paragraphs through `cache` (one
    /// per thread) when given.
    public init(store: Store, cache: ParagraphCache? = nil) {
        self.store = store
        self.cache = cache
    }

    deinit { end() }

    /// Whether a snapshot is held (between a `read` and `end()`).
    public var isHolding: Bool { txn != nil }

    /// Runs `body` on the session's snapshot, taking one first when none is held.
    public func read<R>(_ body: (borrowing Snapshot) throws -> R) throws(StoreError) -> R {
        do {
            return try body(Snapshot(txn: ReadTransaction(handle: try held()), schema: store.schema))
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The held snapshot's transaction, taking one first when none is held.
    @inline(__always)
    private func held() throws -> OpaquePointer {
        if let txn { return txn }
        let handle = try store.env.beginHeldRead()
        txn = handle
        if let cache {
            // No remap can happen while a transaction of this process runs: read after begin.
            cache.check(mapGeneration: store.env.mapGeneration)
            snapshot = ReadTransaction(handle: handle).snapshotID
        }
        return handle
    }

    /// Lends the stored bytes of paragraph `number` of the document named `document` (its
    /// key or symbol as UTF-8, as a request gives it) to `body`, in the session's snapshot,
    /// as `Snapshot.documentID(utf8:)` and `withParagraphBytes` would find them, through
    /// the session's `ParagraphCache` when it has one.
    /// - Throws: `.notFound` for an unknown document (`unknown document "L/9999"`) or a
    ///   paragraph past its end (`Snapshot.missingParagraph`).
    public func withParagraphBytes<R>(
        document: UnsafeRawBufferPointer, number: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws(StoreError) -> R {
        do {
            let handle = try held()
            if let cache, let bytes = cache.lookup(document, number, snapshot: snapshot) { return try body(bytes) }
            let snap = Snapshot(txn: ReadTransaction(handle: handle), schema: store.schema)
            guard let id = try snap.documentID(utf8: document) else {
                throw StoreError(.notFound, "unknown document \"\(String(decoding: document, as: UTF8.self))\"")
            }
            guard let bytes = try snap.paragraphBytes(documentID: id, number: number) else {
                throw try snap.missingParagraph(documentID: id, number: number)
            }
            cache?.insert(document, number, snapshot: snapshot, bytes: bytes)
            return try body(bytes)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Gives the snapshot back; the next `read` takes a new one.
    public func end() {
        guard let txn else { return }
        self.txn = nil
        store.env.endHeldRead(txn)
    }
}
