import CLMDB

/// Bulk access to duplicate-sorted databases whose values all have one size
/// (`MDB_DUPSORT | MDB_DUPFIXED`): posting lists.
extension Cursor {
    /// Positions at `key` and returns how many values it has (0 when absent).
    public mutating func count(ofKey key: some ByteKey) throws -> Int {
        try seek(exactly: key) ? duplicateCount() : 0
    }

    /// Appends every value of `key`, read a page at a time (`MDB_GET_MULTIPLE`), as
    /// big-endian `UInt32`s converted to host order. The values must be 4 bytes each.
    /// - Returns: how many were appended.
    @discardableResult
    public mutating func appendUInt32Values(ofKey key: some ByteKey, to out: inout [UInt32]) throws -> Int {
        guard try seek(exactly: key) else { return 0 }
        // A key with one value has no sub-database, and MDB_GET_MULTIPLE returns nothing for it.
        if try duplicateCount() == 1 {
            try withCurrent { _, v in
                v.withUnsafeBytes { out.append(UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self))) }
            }
            return 1
        }
        let before = out.count
        var k = MDB_val()
        var v = MDB_val()
        var op = MDB_GET_MULTIPLE
        while true {
            let rc = mdb_cursor_get(handle, &k, &v, op)
            if rc == MDB_NOTFOUND { break }
            try check(rc, "read values in \(database.name)")
            let n = v.mv_size / 4
            if let p = v.mv_data {
                let raw = UnsafeRawPointer(p)
                for i in 0..<n { out.append(UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
            }
            op = MDB_NEXT_MULTIPLE
        }
        return out.count - before
    }

    /// Whether `key` has the value `value` (`MDB_GET_BOTH`).
    public mutating func contains(key: some ByteKey, value: some ByteKey) throws -> Bool {
        try key.withKeyBytes { kb in
            try value.withKeyBytes { vb in
                var k = mdbVal(kb)
                var v = mdbVal(vb)
                let rc = mdb_cursor_get(handle, &k, &v, MDB_GET_BOTH)
                if rc == MDB_NOTFOUND { return false }
                try check(rc, "find value in \(database.name)")
                return true
            }
        }
    }
}
