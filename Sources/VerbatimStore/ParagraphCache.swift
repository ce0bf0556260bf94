import Glibc
import LMDB

/// Where paragraphs are in the store's map, by the document name and paragraph number a
/// GetParagraph request gives (`ReadSession.withParagraphBytes(document:number:_:)`): a hit
/// skips both B-tree lookups of a read (`doc_keys`, then `paras`) and goes straight to the
/// stored bytes. docs/OPERATIONS.md, "Paragraph cache".
///
/// An entry holds an address into the map and the id of the snapshot it was read in; it is
/// used only by a read in a snapshot with that same id, which sees the very same pages
/// (LMDB never changes or reuses a page a held snapshot can reach), and the whole cache is
/// dropped when the file is mapped again (`Environment.mapGeneration`). A write makes a
/// new snapshot id, so entries from before it are never used after it. And every hit is
/// checked against the stored record itself: its document key or symbol must be the
/// requested name, byte for byte, and its number the requested number. So a hit gives
/// exactly what the two lookups would give.
///
/// A fixed table of 24-byte entries, direct-mapped by a hash of the name and number,
/// allocated when first written to: memory grows with what is read, up to
/// `entries` × 24 bytes. Not thread-safe: one thread (one event loop) uses it, through
/// any number of sessions.
public final class ParagraphCache: @unchecked Sendable {
    struct Entry {
        var snapshot: UInt64
        var address: UInt
        var tag: UInt32
        var count: UInt32
    }

    private let mask: Int
    // Touched on every GetParagraph, by one thread, no access overlapping another: no
    // dynamic exclusivity checks (they were 1.4% of the daemon's samples at 50 x 1).
    @exclusivity(unchecked) private var table: UnsafeMutablePointer<Entry>?
    @exclusivity(unchecked) private var mapGeneration: UInt64 = 0
    /// Test hook: the hash of a name and number.
    private let hash: (UnsafeRawBufferPointer, UInt32) -> UInt64
    /// Lookups answered from the cache, and lookups that went to the B-trees.
    @exclusivity(unchecked) public private(set) var hits = 0
    @exclusivity(unchecked) public private(set) var misses = 0

    /// A cache of at most `entries` entries (the largest power of two not above it; at
    /// least 1), so at most `entries` × 24 bytes.
    public convenience init(entries: Int) {
        self.init(entries: entries, hash: ParagraphCache.hash)
    }

    init(entries: Int, hash: @escaping (UnsafeRawBufferPointer, UInt32) -> UInt64) {
        var n = 1
        while n <= entries / 2 { n <<= 1 }
        mask = n - 1
        self.hash = hash
    }

    deinit { free(table) }

    /// How many entries the table holds.
    var capacity: Int { mask + 1 }

    /// FNV-1a of the name (`ContentHash`), mixed with the number.
    static func hash(_ name: UnsafeRawBufferPointer, _ number: UInt32) -> UInt64 {
        var c = ContentHash()
        c.add(name)
        var h = c.value ^ UInt64(number) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 29)
    }

    /// Drops every entry when the map was remapped since they were taken.
    func check(mapGeneration g: UInt64) {
        guard g != mapGeneration else { return }
        mapGeneration = g
        if let table { table.update(repeating: Entry(snapshot: 0, address: 0, tag: 0, count: 0), count: mask + 1) }
    }

    /// The stored bytes of paragraph `number` of `name` in snapshot `snapshot`, if cached.
    @inline(__always)
    func lookup(_ name: UnsafeRawBufferPointer, _ number: UInt32, snapshot: UInt64) -> UnsafeRawBufferPointer? {
        let h = hash(name, number)
        if let table {
            let e = table[Int(truncatingIfNeeded: h) & mask]
            if e.snapshot == snapshot && e.tag == UInt32(truncatingIfNeeded: h >> 32),
                let base = UnsafeRawPointer(bitPattern: e.address)
            {
                let bytes = UnsafeRawBufferPointer(start: base, count: Int(e.count))
                if Self.names(bytes, name, number) {
                    hits += 1
                    return bytes
                }
            }
        }
        misses += 1
        return nil
    }

    /// Records where paragraph `number` of `name` is in snapshot `snapshot` (when the
    /// record names it so: else a lookup could not check a hit, and it is not kept).
    @inline(__always)
    func insert(_ name: UnsafeRawBufferPointer, _ number: UInt32, snapshot: UInt64, bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count <= UInt32.max, Self.names(bytes, name, number) else { return }
        if table == nil {
            table = UnsafeMutablePointer<Entry>(OpaquePointer(calloc(mask + 1, MemoryLayout<Entry>.stride)))
        }
        guard let table else { return }
        let h = hash(name, number)
        table[Int(truncatingIfNeeded: h) & mask] = Entry(
            snapshot: snapshot, address: UInt(bitPattern: base), tag: UInt32(truncatingIfNeeded: h >> 32),
            count: UInt32(bytes.count))
    }

    /// Whether a stored paragraph record is paragraph `number` of the document whose key
    /// or symbol (fields 2 and 3, before the number, field 4) is `name`, byte for byte.
    static func names(_ record: UnsafeRawBufferPointer, _ name: UnsafeRawBufferPointer, _ number: UInt32) -> Bool {
        var r = ProtoReader(record)
        var named = false
        while !r.atEnd {
            guard let (field, wire) = r.tag() else { return false }
            switch (field, wire) {
            case (2, 2), (3, 2):
                guard let v = r.bytes() else { return false }
                if !named && v.count == name.count && (v.count == 0 || memcmp(v.baseAddress!, name.baseAddress!, v.count) == 0) {
                    named = true
                }
            case (4, 0):
                guard let v = r.varint() else { return false }
                return named && v == UInt64(number)
            default:
                // Fields are written in number order; past 4 without it: not this record.
                guard field < 4, r.skip(wire: wire) else { return false }
            }
        }
        return false
    }
}
