import CPrefetch
import LMDB
import VerbatimModel

/// Where a paragraph is in a `ReadSession`'s snapshot, found but not yet read
/// (`ReadSession.locate(document:number:)`). Valid only while that snapshot is held: the
/// session stops the program rather than read one after it (its pages could by then hold
/// other bytes).
public struct ParagraphLocation {
    let document: UInt32
    let table: UnsafeRawBufferPointer
    let number: UInt32
    /// The session's count of snapshots given back when it was found.
    let snapshotCount: UInt64
}

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

    /// Documents' paragraph tables, shared by the sessions of this thread, if any.
    private let cache: DocumentCache?
    /// The id of the held snapshot (valid while `txn` is held).
    @exclusivity(unchecked) private var snapshot: UInt64 = 0
    /// Snapshots given back so far: a `ParagraphLocation` found in an earlier one is stale.
    @exclusivity(unchecked) private var snapshotCount: UInt64 = 0

    /// A session on `store`, holding nothing yet, finding documents through `cache` (one
    /// per thread) when given.
    public init(store: Store, cache: DocumentCache? = nil) {
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
    /// the session's `DocumentCache` when it has one.
    /// - Throws: `.notFound` for an unknown document (`unknown document "L/9999"`) or a
    ///   paragraph past its end (`Snapshot.missingParagraph`).
    public func withParagraphBytes<R>(
        document: UnsafeRawBufferPointer, number: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws(StoreError) -> R {
        if let location = try locate(document: document, number: number) {
            return try withParagraphBytes(at: location, body)
        }
        do {
            let snap = Snapshot(txn: ReadTransaction(handle: try held()), schema: store.schema)
            guard let id = try snap.documentID(utf8: document) else { throw Self.unknown(document) }
            guard let bytes = try snap.paragraphBytes(documentID: id, number: number) else {
                throw try snap.missingParagraph(documentID: id, number: number)
            }
            return try body(bytes)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Finds where paragraph `number` of the document named `document` is in the session's
    /// snapshot, through its `DocumentCache`, and asks the CPU for the table entry that
    /// gives the paragraph's place, without reading it: the paragraph is read later, by
    /// `withParagraphBytes(at:_:)`, after `prefetchRecord(_:)`, so that the cache misses
    /// of many reads overlap instead of following one another. Only until the session's
    /// `end()`: the location points into the snapshot's pages.
    /// - Returns: nil when the session has no cache, the name is not one it keeps, or the
    ///   document has no table (`withParagraphBytes(document:number:_:)` then reads it).
    /// - Throws: `.notFound` for an unknown document.
    public func locate(document: UnsafeRawBufferPointer, number: UInt32) throws(StoreError) -> ParagraphLocation? {
        do {
            let handle = try held()
            guard let cache, let (id, table) = try cachedTable(document, handle, cache) else { return nil }
            if let base = table.baseAddress {
                verbatim_prefetch(base)
                if 4 * Int(number) < table.count { verbatim_prefetch(base + 4 * Int(number)) }
            }
            return ParagraphLocation(document: id, table: table, number: number, snapshotCount: snapshotCount)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Asks the CPU for the first kilobyte of the paragraph at `location` (its table entry
    /// is read, so best after `locate` asked for it).
    public func prefetchRecord(_ location: ParagraphLocation) {
        checkHeld(location)
        guard let bytes = try? ParagraphTable.record(location.number, in: location.table, document: location.document),
            let base = bytes.baseAddress
        else { return }
        for offset in stride(from: 0, to: min(bytes.count, 1024), by: 64) { verbatim_prefetch(base + offset) }
    }

    /// Lends the stored bytes of the paragraph at `location` to `body`.
    /// - Throws: `.notFound` for a paragraph past the document's end, `.corrupt` for a
    ///   table that does not describe its value.
    public func withParagraphBytes<R>(at location: ParagraphLocation, _ body: (UnsafeRawBufferPointer) throws -> R)
        throws(StoreError) -> R
    {
        checkHeld(location)
        do {
            if let bytes = try ParagraphTable.record(location.number, in: location.table, document: location.document) {
                return try body(bytes)
            }
            let snap = Snapshot(txn: ReadTransaction(handle: try held()), schema: store.schema)
            throw try snap.missingParagraph(documentID: location.document, number: location.number)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    @inline(__always)
    private func checkHeld(_ location: ParagraphLocation) {
        precondition(txn != nil && location.snapshotCount == snapshotCount, "a paragraph location used after its snapshot ended")
    }

    /// The id and paragraph table of the document named `document`, through `cache` (filled
    /// on a miss); nil when the name is not ASCII or longer than the cache keeps, or when the
    /// document has no table (the caller's B-tree path then says why). - Throws: `.notFound`
    /// when it names no document.
    @inline(__always)
    private func cachedTable(_ document: UnsafeRawBufferPointer, _ handle: OpaquePointer, _ cache: DocumentCache) throws
        -> (UInt32, UnsafeRawBufferPointer)?
    {
        guard document.count <= DocumentCache.maxName else { return nil }
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &buffer) { out in
            guard let n = Folding.asciiSymbol(document, into: out), n > 0 else { return nil }
            let name = UnsafeRawBufferPointer(rebasing: out[..<n])
            if let hit = cache.lookup(name, snapshot: snapshot) { return hit }
            let snap = Snapshot(txn: ReadTransaction(handle: handle), schema: store.schema)
            // The very lookup `documentID(utf8:)` makes for such a name: none is final.
            guard let id = try snap.documentID(folded: name) else { throw Self.unknown(document) }
            guard let table = try snap.paragraphTable(documentID: id) else { return nil }
            cache.insert(name, snapshot: snapshot, id: id, table: table)
            return (id, table)
        }
    }

    private static func unknown(_ document: UnsafeRawBufferPointer) -> StoreError {
        StoreError(.notFound, "unknown document \"\(String(decoding: document, as: UTF8.self))\"")
    }

    /// Gives the snapshot back; the next `read` takes a new one.
    public func end() {
        guard let txn else { return }
        self.txn = nil
        snapshotCount &+= 1
        store.env.endHeldRead(txn)
    }
}
