import CLMDB

/// A position in a database, lent to the body of `Transaction.withCursor`.
///
/// Moves return whether an entry is there; `withCurrent` lends the entry's key and value.
public struct Cursor: ~Copyable {
    let handle: OpaquePointer
    let database: Database
    private var key = MDB_val()
    private var value = MDB_val()
    private var positioned = false

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    /// Relative moves.
    public enum Move: Sendable {
        case first, last, next, previous
        /// The next value of the current key (duplicate-sorted databases).
        case nextDuplicate
        /// The first value of the next key (duplicate-sorted databases).
        case nextKey

        var op: MDB_cursor_op {
            switch self {
            case .first: MDB_FIRST
            case .last: MDB_LAST
            case .next: MDB_NEXT
            case .previous: MDB_PREV
            case .nextDuplicate: MDB_NEXT_DUP
            case .nextKey: MDB_NEXT_NODUP
            }
        }
    }

    /// Moves the cursor. - Returns: false when there is no such entry.
    public mutating func move(_ move: Move) throws -> Bool {
        try position(move.op, nil)
    }

    /// Positions at the first key not less than `key`. - Returns: false past the end.
    public mutating func seek(atLeast key: some ByteKey) throws -> Bool {
        try key.withKeyBytes { k in try position(MDB_SET_RANGE, k) }
    }

    /// Positions at `key` exactly (its first value). - Returns: false when absent.
    public mutating func seek(exactly key: some ByteKey) throws -> Bool {
        try key.withKeyBytes { k in try position(MDB_SET_KEY, k) }
    }

    private mutating func position(_ op: MDB_cursor_op, _ seekKey: UnsafeRawBufferPointer?) throws -> Bool {
        if let seekKey { key = mdbVal(seekKey) }
        let rc = mdb_cursor_get(handle, &key, &value, op)
        if rc == MDB_NOTFOUND {
            positioned = false
            return false
        }
        try check(rc, "cursor in \(database.name)")
        positioned = true
        return true
    }

    /// Lends the current key and value to `body`.
    public func withCurrent<R>(_ body: (RawSpan, RawSpan) throws -> R) throws -> R {
        precondition(positioned, "cursor is not on an entry")
        return try withSpan(key) { k in try withSpan(value) { v in try body(k, v) } }
    }

    /// Number of values of the current key (duplicate-sorted databases).
    public func duplicateCount() throws -> Int {
        var n: Int = 0
        try check(mdb_cursor_count(handle, &n), "mdb_cursor_count \(database.name)")
        return n
    }

    /// Deletes the current entry (or all values of its key). Write transactions only.
    public mutating func deleteCurrent(allDuplicates: Bool = false) throws {
        try check(mdb_cursor_del(handle, allDuplicates ? UInt32(MDB_NODUPDATA) : 0), "cursor delete in \(database.name)")
        positioned = false
    }
}
