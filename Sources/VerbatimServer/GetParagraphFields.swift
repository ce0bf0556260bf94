import NIOCore

/// The two fields of a `GetParagraphRequest`, read in place for the hot path: field 1
/// (document) holding ASCII only and field 2 (number) as a varint of at most 5 bytes and
/// at most `UInt32.max`, each at most once, in either order, and nothing else.
///
/// Any other shape (unknown or repeated fields, non-ASCII text, malformed bytes) gives nil,
/// and the request goes to SwiftProtobuf, which decides by its own rules and messages.
struct GetParagraphFields: Equatable {
    /// Where the document's bytes are, as offsets into the request's bytes.
    var document: Range<Int>
    var number: UInt32

    init(document: Range<Int>, number: UInt32) {
        self.document = document
        self.number = number
    }

    /// Reads the fields of a request held in `raw`.
    init?(_ raw: UnsafeRawBufferPointer) {
        var i = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while i < raw.count && shift < 35 {
                let b = raw[i]
                i += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        var document = 0..<0
        var number: UInt32 = 0
        var seen = (document: false, number: false)
        while i < raw.count {
            switch raw[i] {
            case 0x0A where !seen.document:  // field 1, length-delimited
                seen.document = true
                i += 1
                guard let n = varint(), n <= raw.count - i else { return nil }
                let end = i + Int(n)
                for b in raw[i..<end] where b >= 0x80 { return nil }
                document = i..<end
                i = end
            case 0x10 where !seen.number:  // field 2, varint
                seen.number = true
                i += 1
                guard let n = varint(), n <= UInt32.max else { return nil }
                number = UInt32(n)
            default:
                return nil
            }
        }
        self.init(document: document, number: number)
    }
}

extension GetParagraphFields {
    /// Reads the fields of the request in `body`'s readable bytes.
    init?(_ body: ByteBuffer) {
        guard let fields = body.withUnsafeReadableBytes({ GetParagraphFields($0) }) else { return nil }
        self = fields
    }
}
