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

extension WriteTransaction {
    /// Adds postings to a duplicate-sorted database of 4-byte keys and 4-byte fixed-size
    /// values (`MDB_DUPSORT | MDB_DUPFIXED`). Each element of `postings` is a key (high 32
    /// bits) and a value (low 32 bits), both stored big-endian; `postings` must be sorted.
    ///
    /// Keys are visited in order with one cursor (LMDB finds the next key on the current
    /// page without descending the tree again), and the values of one key go in with one
    /// `MDB_MULTIPLE` put. With `appendingValues`, values are expected to be greater than
    /// every value their key already has (`MDB_APPENDDUP`: no search inside the key's
    /// values); a key for which that is not so is added without the flag.
    public func putSortedUInt32Postings(_ db: Database, _ postings: [UInt64], appendingValues: Bool) throws {
        guard !postings.isEmpty else { return }
        try withCursor(db) { cursor in
            var values: [UInt32] = []
            values.reserveCapacity(1024)
            var i = 0
            while i < postings.count {
                let key = UInt32(truncatingIfNeeded: postings[i] >> 32)
                values.removeAll(keepingCapacity: true)
                var last: UInt32? = nil
                while i < postings.count, UInt32(truncatingIfNeeded: postings[i] >> 32) == key {
                    let v = UInt32(truncatingIfNeeded: postings[i])
                    if v != last { values.append(v.bigEndian) }
                    last = v
                    i += 1
                }
                try cursor.putFixedValues(key: key.bigEndian, values: values, append: appendingValues)
            }
        }
    }
}

extension Cursor {
    /// Puts `values` (4 bytes each, already in stored byte order) under `key` with `MDB_MULTIPLE`.
    mutating func putFixedValues(key: UInt32, values: [UInt32], append: Bool) throws {
        var keyBytes = key
        var done = 0
        var appendFlag = append
        try withUnsafeMutableBytes(of: &keyBytes) { kb in
            try values.withUnsafeBytes { vb in
                while done < values.count {
                    var k = MDB_val(mv_size: 4, mv_data: kb.baseAddress)
                    let remaining = values.count - done
                    var rc: Int32
                    var written = 0
                    let flags = appendFlag ? UInt32(MDB_APPENDDUP) : 0
                    if remaining == 1 {
                        var v = MDB_val(mv_size: 4, mv_data: UnsafeMutableRawPointer(mutating: vb.baseAddress! + done * 4))
                        rc = mdb_cursor_put(handle, &k, &v, flags)
                        if rc == MDB_SUCCESS { written = 1 }
                    } else {
                        var v = (
                            MDB_val(mv_size: 4, mv_data: UnsafeMutableRawPointer(mutating: vb.baseAddress! + done * 4)),
                            MDB_val(mv_size: remaining, mv_data: nil)
                        )
                        rc = withUnsafeMutablePointer(to: &v) { p in
                            p.withMemoryRebound(to: MDB_val.self, capacity: 2) { mdb_cursor_put(handle, &k, $0, flags | UInt32(MDB_MULTIPLE)) }
                        }
                        written = v.1.mv_size
                    }
                    if rc == MDB_KEYEXIST && appendFlag {
                        // A value not after the key's last one: insert the rest in place.
                        done += written
                        appendFlag = false
                        continue
                    }
                    try check(rc, "put values into \(database.name)")
                    done += max(written, remaining)
                }
            }
        }
    }
}
