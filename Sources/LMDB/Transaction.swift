import CLMDB

/// Reads shared by read and write transactions. Values are lent as `RawSpan`, which
/// cannot outlive the closure that receives it (nor, therefore, the transaction).
public protocol Transaction: ~Copyable {
    /// The `MDB_txn` pointer. Not API: for this package's modules only.
    var _handle: OpaquePointer { get }
}

/// A read-only snapshot, lent to the body of `Environment.read`.
public struct ReadTransaction: Transaction, ~Copyable {
    public let _handle: OpaquePointer
    package init(handle: OpaquePointer) { _handle = handle }
}

extension ReadTransaction {
    /// The id of the committed write transaction this snapshot shows. Two snapshots with
    /// one id see the same pages: an address read in one is valid in the other while it is
    /// held (and the map has not been remapped: `Environment.mapGeneration`).
    public var snapshotID: UInt64 { UInt64(mdb_txn_id(_handle)) }
}

/// A write transaction, lent to the body of `Environment.write`.
public struct WriteTransaction: Transaction, ~Copyable {
    public let _handle: OpaquePointer
    package init(handle: OpaquePointer) { _handle = handle }
}

@inline(__always)
func mdbVal(_ p: UnsafeRawBufferPointer) -> MDB_val {
    MDB_val(mv_size: p.count, mv_data: UnsafeMutableRawPointer(mutating: p.baseAddress))
}

/// Lends the bytes of an `MDB_val` to `body` as a span that cannot escape it.
@inline(__always)
func withSpan<R>(_ v: MDB_val, _ body: (RawSpan) throws -> R) rethrows -> R {
    try withSpan(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size), body)
}

/// Lends `bytes` (a part of a value lent by a transaction) to `body` as a span that cannot
/// escape it.
@inline(__always)
public func withSpan<R>(_ bytes: UnsafeRawBufferPointer, _ body: (RawSpan) throws -> R) rethrows -> R {
    try body(unsafe RawSpan(_unsafeBytes: bytes))
}

extension Transaction where Self: ~Copyable {
    /// Looks `key` up and lends its value to `body`, without copying.
    /// - Returns: `body`'s result, or `nil` when the key is absent.
    @inlinable
    public func get<R>(_ db: Database, key: some ByteKey, _ body: (RawSpan) throws -> R) throws -> R? {
        try key.withKeyBytes { k in try _get(db, key: k, body) }
    }

    @usableFromInline
    func _get<R>(_ db: Database, key: UnsafeRawBufferPointer, _ body: (RawSpan) throws -> R) throws -> R? {
        var k = mdbVal(key)
        var v = MDB_val()
        let rc = mdb_get(_handle, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "get from \(db.name)")
        return try withSpan(v, body)
    }

    /// The value of `key`, copied once into an array; `nil` when absent.
    public func value(_ db: Database, key: some ByteKey) throws -> [UInt8]? {
        try get(db, key: key) { s in s.withUnsafeBytes { Array($0) } }
    }

    /// Whether `key` is present.
    public func contains(_ db: Database, key: some ByteKey) throws -> Bool {
        try get(db, key: key) { _ in true } ?? false
    }

    /// Number of entries in the database (duplicates counted one by one).
    public func statistics(_ db: Database) throws -> Statistics {
        var s = MDB_stat()
        try check(mdb_stat(_handle, db.dbi, &s), "mdb_stat \(db.name)")
        return Statistics(s)
    }

    /// Opens a cursor on `db` for the duration of `body`.
    public func withCursor<R>(_ db: Database, _ body: (inout Cursor) throws -> R) throws -> R {
        var c: OpaquePointer?
        try check(mdb_cursor_open(_handle, db.dbi, &c), "mdb_cursor_open \(db.name)")
        var cursor = Cursor(handle: c!, database: db)
        defer { mdb_cursor_close(c) }
        return try body(&cursor)
    }

    /// Visits entries in key order, starting at the first key not less than `start`
    /// (or the first key), while `body` returns true.
    public func forEach(
        _ db: Database, from start: (some ByteKey)? = [UInt8]?.none, _ body: (RawSpan, RawSpan) throws -> Bool
    ) throws {
        try withCursor(db) { c in
            var found: Bool
            if let start { found = try c.seek(atLeast: start) } else { found = try c.move(.first) }
            while found {
                guard try c.withCurrent(body) else { return }
                found = try c.move(.next)
            }
        }
    }

    /// Visits entries whose key starts with `prefix`, in key order, while `body` returns true.
    public func forEach(_ db: Database, prefix: some ByteKey, _ body: (RawSpan, RawSpan) throws -> Bool) throws {
        try prefix.withKeyBytes { p in
            let prefixBytes = Array(p)
            try forEach(db, from: prefixBytes) { key, value in
                guard key.byteCount >= prefixBytes.count,
                    key.withUnsafeBytes({ k in prefixBytes.elementsEqual(k.prefix(prefixBytes.count)) })
                else { return false }
                return try body(key, value)
            }
        }
    }

    /// Visits the sorted values of `key` in a duplicate-sorted database while `body` returns true.
    public func forEachDuplicate(_ db: Database, key: some ByteKey, _ body: (RawSpan) throws -> Bool) throws {
        try withCursor(db) { c in
            var found = try c.seek(exactly: key)
            while found {
                guard try c.withCurrent({ _, v in try body(v) }) else { return }
                found = try c.move(.nextDuplicate)
            }
        }
    }

    /// Number of values of `key` in a duplicate-sorted database (0 when absent).
    public func duplicateCount(_ db: Database, key: some ByteKey) throws -> Int {
        try withCursor(db) { c in try c.seek(exactly: key) ? c.duplicateCount() : 0 }
    }
}

extension WriteTransaction {
    /// How `put` treats an existing key.
    public struct PutFlags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Fail with `keyExists` if the key is present (`MDB_NOOVERWRITE`).
        public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
        /// In a duplicate-sorted database, do not add a value already present (`MDB_NODUPDATA`).
        public static let noDuplicateData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
        /// Keys are added in sorted order at the end (`MDB_APPEND`): faster bulk loads.
        public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    }

    /// Stores `value` under `key` (adds a value, in a duplicate-sorted database).
    public func put(_ db: Database, key: some ByteKey, value: some ByteKey, flags: PutFlags = []) throws {
        try key.withKeyBytes { k in
            try value.withKeyBytes { v in
                var kv = mdbVal(k)
                var vv = mdbVal(v)
                let rc = mdb_put(_handle, db.dbi, &kv, &vv, flags.rawValue)
                if rc == MDB_KEYEXIST && flags.contains(.noDuplicateData) { return }
                try check(rc, "put into \(db.name)")
            }
        }
    }

    /// Deletes `key` (all its values), or only `value` of `key` in a duplicate-sorted database.
    /// - Returns: false when there was nothing to delete.
    @discardableResult
    public func delete(_ db: Database, key: some ByteKey, value: (some ByteKey)? = [UInt8]?.none) throws -> Bool {
        try key.withKeyBytes { k in
            var kv = mdbVal(k)
            let rc: Int32
            if let value {
                rc = value.withKeyBytes { v in
                    var vv = mdbVal(v)
                    return mdb_del(_handle, db.dbi, &kv, &vv)
                }
            } else {
                rc = mdb_del(_handle, db.dbi, &kv, nil)
            }
            if rc == MDB_NOTFOUND { return false }
            try check(rc, "delete from \(db.name)")
            return true
        }
    }

    /// Removes every entry of `db`, keeping the database.
    public func removeAll(_ db: Database) throws {
        try check(mdb_drop(_handle, db.dbi, 0), "empty \(db.name)")
    }
}
