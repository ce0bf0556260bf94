import LMDB

/// One snapshot shared by several reads of one thread, for a burst of small calls (the
/// daemon's pipelined GetParagraph requests): the first `read` takes a pooled read
/// transaction, later ones reuse it, `end()` gives it back.
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

    /// A session on `store`, holding nothing yet.
    public init(store: Store) {
        self.store = store
    }

    deinit { end() }

    /// Whether a snapshot is held (between a `read` and `end()`).
    public var isHolding: Bool { txn != nil }

    /// Runs `body` on the session's snapshot, taking one first when none is held.
    public func read<R>(_ body: (borrowing Snapshot) throws -> R) throws(StoreError) -> R {
        do {
            let handle: OpaquePointer
            if let txn {
                handle = txn
            } else {
                handle = try store.env.beginHeldRead()
                txn = handle
            }
            return try body(Snapshot(txn: ReadTransaction(handle: handle), schema: store.schema))
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
