/// The value of one document in `paras` (schema 8): its paragraphs' records behind a
/// table of where each one starts, so that a paragraph is read with one lookup of a small
/// tree (a key per document) and two touches of the value, instead of a descent of a tree
/// with a key per paragraph.
///
/// Layout, all integers big-endian `UInt32`: the paragraph count `n`; `n + 1` offsets from
/// the start of the value, the last one the value's length; then the records
/// (`verbatim.v1.Paragraph`), paragraph 1 first. Paragraph `k` is the bytes from offset
/// `k - 1` to offset `k`.
enum ParagraphTable {
    /// The value holding `records`, paragraph 1 first.
    static func encode(_ records: [[UInt8]]) -> [UInt8] {
        let head = 4 * (records.count + 2)
        var out: [UInt8] = []
        out.reserveCapacity(head + records.reduce(0) { $0 + $1.count })
        func put(_ v: Int) { withUnsafeBytes(of: UInt32(v).bigEndian) { out.append(contentsOf: $0) } }
        put(records.count)
        var offset = head
        put(offset)
        for r in records {
            offset += r.count
            put(offset)
        }
        for r in records { out.append(contentsOf: r) }
        return out
    }

    /// How many paragraphs `value` holds, or `nil` when its table does not fit in it.
    @inline(__always)
    static func count(_ value: UnsafeRawBufferPointer) -> Int? {
        guard value.count >= 8 else { return nil }
        let n = Int(u32(value, 0))
        return 4 * (n + 2) <= value.count ? n : nil
    }

    /// The bytes of paragraph `number` (from 1) in `value`: `nil` past the end.
    /// - Throws: `.corrupt` when the table does not describe the value (`document` names it).
    @inline(__always)
    static func record(_ number: UInt32, in value: UnsafeRawBufferPointer, document: UInt32) throws
        -> UnsafeRawBufferPointer?
    {
        guard let n = count(value) else { throw malformed(document) }
        guard number >= 1, Int(number) <= n else { return nil }
        let start = Int(u32(value, 4 * Int(number)))
        let end = Int(u32(value, 4 * Int(number) + 4))
        guard start >= 4 * (n + 2), start <= end, end <= value.count else { throw malformed(document) }
        return UnsafeRawBufferPointer(rebasing: value[start..<end])
    }

    /// Calls `body` with each paragraph's number and bytes in `numbers`, in order, until it
    /// returns false. - Throws: `.corrupt` as `record` does, and when `numbers` goes past
    /// the end of the table.
    static func forEach(
        _ numbers: ClosedRange<UInt32>, in value: UnsafeRawBufferPointer, document: UInt32,
        _ body: (UInt32, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        for k in numbers {
            guard let bytes = try record(k, in: value, document: document) else {
                throw StoreError(.corrupt, "document \(document) has \(count(value) ?? 0) paragraphs stored, not \(numbers.upperBound)")
            }
            guard try body(k, bytes) else { return }
        }
    }

    /// Paragraphs `numbers` of `value`, decoded, in order. - Throws: `.corrupt` as `forEach`
    /// does, and for a record that does not decode.
    static func records(_ numbers: ClosedRange<UInt32>, in value: UnsafeRawBufferPointer, document: UInt32) throws
        -> [ParagraphRecord]
    {
        var out: [ParagraphRecord] = []
        out.reserveCapacity(numbers.count)
        try forEach(numbers, in: value, document: document) { _, bytes in
            out.append(try ParagraphRecord(stored: bytes))
            return true
        }
        return out
    }

    @inline(__always)
    private static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    /// The error for a value whose table does not describe it.
    static func malformed(_ document: UInt32) -> StoreError {
        StoreError(.corrupt, "the paragraph table of document \(document) does not describe its value")
    }
}
