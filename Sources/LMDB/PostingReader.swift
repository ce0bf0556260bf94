import CLMDB

/// Reads the values of one key of a duplicate-sorted database of 4-byte values
/// (`MDB_DUPSORT | MDB_DUPFIXED`, values big-endian `UInt32`: a posting list) in
/// increasing order, skipping ahead without reading what it skips.
///
/// `next(atLeast:)` finds the first value not less than a target: in the page of values
/// it holds, by search; else in the following page (`MDB_NEXT_MULTIPLE`), for targets
/// just past it; else with one descent of the key's values (`MDB_GET_BOTH_RANGE`) and
/// the page found (`MDB_GET_MULTIPLE`). Pages are read in place from the map, not copied.
///
/// `run(atLeast:)` lends the rest of the page instead, for a caller that reads many
/// values in a row (the rarest list of an intersection) without a call per value.
///
/// Lent by `Transaction.withPostingReaders`; not to be used after its body returns.
public final class PostingReader {
    private let handle: OpaquePointer
    private let database: Database
    private let key: [UInt8]
    /// How many values the key has (0 when absent).
    public let count: Int
    /// The values of the current page, big-endian, and the position in it.
    private var page: UnsafeRawPointer? = nil
    private var pageCount = 0
    private var index = 0
    /// The only value of a key with one value (it has no page of values of its own), and
    /// where it is in the map.
    private var single: UInt32? = nil
    private var singleBytes: UnsafeRawPointer? = nil
    private var done = false

    init(handle: OpaquePointer, database: Database, key: [UInt8]) throws {
        self.handle = handle
        self.database = database
        self.key = key
        var n = 0
        var k = MDB_val()
        var v = MDB_val()
        let rc = key.withUnsafeBytes { kb in
            k = mdbVal(kb)
            return mdb_cursor_get(handle, &k, &v, MDB_SET_KEY)
        }
        if rc == MDB_NOTFOUND {
            count = 0
            done = true
            return
        }
        try check(rc, "cursor in \(database.name)")
        try check(mdb_cursor_count(handle, &n), "mdb_cursor_count \(database.name)")
        count = n
        if n == 1 {
            guard v.mv_size == 4, let p = v.mv_data else {
                throw LMDBError(code: .badValueSize, operation: "read a 4-byte value in \(database.name)")
            }
            single = UInt32(bigEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
            singleBytes = UnsafeRawPointer(p)
        }
    }

    @inline(__always)
    private func value(_ i: Int) -> UInt32 {
        UInt32(bigEndian: page!.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
    }

    /// The first value not less than `target`, or `nil` when there is none. Targets must
    /// not decrease from one call to the next.
    public func next(atLeast target: UInt32) throws -> UInt32? {
        if done { return nil }
        if let single {
            if single >= target { return single }
            done = true
            return nil
        }
        if pageCount > 0 {
            if target <= value(pageCount - 1) { return found(target, from: index) }
            // Just past this page? The next one is a step away, a descent is a few.
            guard try load(MDB_NEXT_MULTIPLE) else { return finish() }
            if target <= value(pageCount - 1) { return found(target, from: 0) }
        }
        let rc = key.withUnsafeBytes { kb in
            withUnsafeBytes(of: target.bigEndian) { tb in
                var k = mdbVal(kb)
                var v = mdbVal(tb)
                return mdb_cursor_get(handle, &k, &v, MDB_GET_BOTH_RANGE)
            }
        }
        if rc == MDB_NOTFOUND { return finish() }
        try check(rc, "seek value in \(database.name)")
        guard try load(MDB_GET_MULTIPLE) else { return finish() }
        return found(target, from: 0)
    }

    /// The values from the first one not less than `target` to the end of its page,
    /// big-endian, read in place (valid while the transaction is); `nil` when there is
    /// none. Positions as `next(atLeast:)` does, at the first of them: values the caller
    /// reads further in the run are not consumed, so the next call's target must be past
    /// them (targets must not decrease).
    public func run(atLeast target: UInt32) throws -> UnsafeRawBufferPointer? {
        guard try next(atLeast: target) != nil else { return nil }
        if single != nil { return UnsafeRawBufferPointer(start: singleBytes, count: 4) }
        return UnsafeRawBufferPointer(start: page! + index * 4, count: (pageCount - index) * 4)
    }

    /// Positions at the first value of the current page from `from` not less than
    /// `target`, which the page's last value is not.
    @inline(__always)
    private func found(_ target: UInt32, from: Int) -> UInt32 {
        // Galloping: the target is usually near.
        var lo = from
        var step = 1
        var hi = from
        while hi < pageCount - 1 && value(hi) < target {
            lo = hi + 1
            hi = min(hi + step, pageCount - 1)
            step <<= 1
        }
        while lo < hi {
            let mid = (lo + hi) >> 1
            if value(mid) < target { lo = mid + 1 } else { hi = mid }
        }
        index = lo
        return value(lo)
    }

    private func load(_ op: MDB_cursor_op) throws -> Bool {
        var k = MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return false }
        try check(rc, "read values in \(database.name)")
        guard v.mv_size % 4 == 0, v.mv_size > 0, let p = v.mv_data else {
            throw LMDBError(code: .badValueSize, operation: "read 4-byte values in \(database.name)")
        }
        page = UnsafeRawPointer(p)
        pageCount = v.mv_size / 4
        index = 0
        return true
    }

    private func finish() -> UInt32? {
        done = true
        page = nil
        pageCount = 0
        return nil
    }
}

extension Transaction where Self: ~Copyable {
    /// Opens a `PostingReader` on each of `keys` in `db` (a `MDB_DUPSORT | MDB_DUPFIXED`
    /// database of 4-byte values) for the duration of `body`.
    public func withPostingReaders<R, K: ByteKey>(
        _ db: Database, keys: [K], _ body: ([PostingReader]) throws -> R
    ) throws -> R {
        var cursors: [OpaquePointer] = []
        defer { for c in cursors { mdb_cursor_close(c) } }
        var readers: [PostingReader] = []
        for key in keys {
            var c: OpaquePointer?
            try check(mdb_cursor_open(_handle, db.dbi, &c), "mdb_cursor_open \(db.name)")
            cursors.append(c!)
            readers.append(try PostingReader(handle: c!, database: db, key: key.withKeyBytes { Array($0) }))
        }
        return try body(readers)
    }
}
