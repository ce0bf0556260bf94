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
        var i = 0
        func varint() -> UInt64? {
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
        while i < b.count {
            guard let tag = varint() else { return false }
            let field = tag >> 3
            switch tag & 7 {
            case 0:
                guard let v = varint() else { return false }
                body(field, v, i..<i)
            case 1: i += 8
            case 5: i += 4
            case 2:
                guard let len = varint(), len <= UInt64(b.count - i) else { return false }
                let start = i
                i += Int(len)
                body(field, 0, start..<i)
            default: return false
            }
            if i > b.count { return false }
        }
        return true
    }

    /// The title of a stored document (`verbatim.v1.Document`, field 4); nil when the
    /// bytes are not a message.
    static func documentTitle(_ b: UnsafeRawBufferPointer) -> String? {
        var title = ""
        let ok = forEach(b) { field, _, bytes in
            if field == 4 { title = String(decoding: UnsafeRawBufferPointer(rebasing: b[bytes]), as: UTF8.self) }
        }
        return ok ? title : nil
    }
}
