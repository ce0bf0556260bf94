import Glibc

/// The top-level fields of a stored protobuf message, read in place without decoding it
/// (quote lookup reads a few fields of many records).
enum StoredFields {
    /// Calls `body` with each top-level field of message `b`: its number, its value when it
    /// is a varint (else 0), and the range of its bytes when it is length-delimited (else
    /// empty). - Returns: false when `b` is not a well-formed message.
    @inline(__always)
    static func forEach(_ b: UnsafeRawBufferPointer, _ body: (_ field: UInt64, _ varint: UInt64, _ bytes: Range<Int>) -> Void)
        -> Bool
    {
        var r = ProtoReader(b)
        while !r.atEnd {
            guard let (field, wire) = r.tag() else { return false }
            switch wire {
            case 0:
                guard let v = r.varint() else { return false }
                body(field, v, r.i..<r.i)
            case 2:
                guard let bytes = r.byteRange() else { return false }
                body(field, 0, bytes)
            default: guard r.skip(wire: wire) else { return false }
            }
        }
        return true
    }
}

/// The fields of a stored document (`records.proto` `Document`) that a citation needs,
/// found in its bytes without decoding the message.
struct DocumentFields {
    var id: UInt32 = 0
    /// Where the key, symbol, title and kind are, as ranges of the record's bytes.
    var key: Range<Int> = 0..<0
    var symbol: Range<Int> = 0..<0
    var title: Range<Int> = 0..<0
    var kind: Range<Int> = 0..<0
    var date: UInt32 = 0
    var paragraphCount: UInt32 = 0

    /// Nil when `b` is not a well-formed message.
    init?(_ b: UnsafeRawBufferPointer) {
        var f = DocumentFields(id: 0)
        let ok = StoredFields.forEach(b) { field, v, bytes in
            switch field {
            case 1: f.id = UInt32(truncatingIfNeeded: v)
            case 2: f.key = bytes
            case 3: f.symbol = bytes
            case 4: f.title = bytes
            case 5: f.date = UInt32(truncatingIfNeeded: v)
            case 7: f.kind = bytes
            case 10: f.paragraphCount = UInt32(truncatingIfNeeded: v)
            default: break
            }
        }
        guard ok else { return nil }
        self = f
    }

    private init(id: UInt32) { self.id = id }

    /// The symbol, else the key (`DocumentRecord.name`).
    var name: Range<Int> { symbol.isEmpty ? key : symbol }
}

/// Reads protobuf wire format from a buffer, front to back; every read returns nil at a
/// malformed or truncated value.
struct ProtoReader {
    let b: UnsafeRawBufferPointer
    var i = 0

    init(_ b: UnsafeRawBufferPointer) { self.b = b }

    var atEnd: Bool { i >= b.count }

    @inline(__always)
    mutating func varint() -> UInt64? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < b.count {
            let byte = b[i]
            i += 1
            v |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return v }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    /// A field's number and wire type; nil for field number 0 or one over 2^29 - 1.
    mutating func tag() -> (UInt64, UInt64)? {
        guard let t = varint(), t >> 3 != 0, t >> 3 < 1 << 29 else { return nil }
        return (t >> 3, t & 7)
    }

    /// Skips a value of wire type `wire`; false when it is malformed, truncated or of a
    /// wire type protobuf no longer uses (groups).
    mutating func skip(wire: UInt64) -> Bool {
        switch wire {
        case 0: return varint() != nil
        case 1, 5:
            let n = wire == 1 ? 8 : 4
            guard n <= b.count - i else { return false }
            i += n
            return true
        case 2: return byteRange() != nil
        default: return false
        }
    }

    /// Where a length-delimited value's bytes are in the buffer.
    mutating func byteRange() -> Range<Int>? {
        guard let n = varint(), n <= UInt64(b.count - i) else { return nil }
        let start = i
        i += Int(n)
        return start..<i
    }

    mutating func bytes() -> UnsafeRawBufferPointer? {
        byteRange().map { UnsafeRawBufferPointer(rebasing: b[$0]) }
    }

    /// A string field; nil when it is not UTF-8.
    mutating func string() -> String? {
        guard let v = bytes() else { return nil }
        // `String(decoding:)` repairs what is not UTF-8: unchanged bytes mean there was
        // nothing to repair. (`String(validating:)` is generic and was slower.)
        let s = String(decoding: v, as: UTF8.self)
        let same = s.utf8.withContiguousStorageIfAvailable { u in
            u.count == v.count && (u.count == 0 || memcmp(u.baseAddress!, v.baseAddress!, u.count) == 0)
        }
        return (same ?? s.utf8.elementsEqual(v)) ? s : nil
    }
}

