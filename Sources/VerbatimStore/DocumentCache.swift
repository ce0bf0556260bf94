import Glibc
import LMDB

/// Where documents' paragraph tables (their `paras` values) are in the store's map, by the
/// folded document name a GetParagraph request gives (`ReadSession.withParagraphBytes(
/// document:number:_:)`): a hit skips both B-tree lookups of a read (`doc_keys`, then
/// `paras`) and goes straight to the table, which gives the paragraph's bytes. A store of
/// 10,000 documents fills it with 10,000 misses, whatever its number of paragraphs.
/// docs/OPERATIONS.md, "Document cache".
///
/// An entry holds the folded name itself, the document's id and the address of its table,
/// and the epoch it was read in. An epoch stands for one snapshot id and one mapping of the
/// file, and an entry is used only by a read of the same epoch, which sees the very same
/// pages (LMDB never changes or reuses a page a held snapshot can reach). A read in another
/// snapshot, or after the file was mapped again (`Environment.mapGeneration`), starts a new
/// epoch: a write makes a new snapshot id, so entries from before it are never used after
/// it. A hit is the same folded name, byte for byte, so it gives exactly what the two
/// lookups would give.
///
/// A table of 64-byte entries (one cache line each: names of up to 32 folded bytes are
/// kept, longer ones always go to the B-trees) in sets of 4, the set chosen by a hash of
/// the name; a new entry goes first in its set and the set's last is dropped. Allocated
/// when first written to: memory grows with what is read, up to `entries` × 64 bytes. Not
/// thread-safe: one thread (one event loop) uses it, through any number of sessions.
public final class DocumentCache: @unchecked Sendable {
    // An entry's layout: the name's hash (UInt64) at 0; the table's address (low 48 bits)
    // and the epoch (high 16) at 8; the table's length (UInt32) at 16; the document id
    // (UInt32) at 20; the name's length (UInt32) at 24; the name at 32. All zero: empty
    // (epochs start at 1).
    static let ways = 4
    static let entrySize = 64
    /// The longest folded name kept.
    public static let maxName = 32

    private let setMask: Int
    // Touched on every GetParagraph, by one thread, no access overlapping another: no
    // dynamic exclusivity checks (they were 1.4% of the daemon's samples at 50 x 1).
    @exclusivity(unchecked) private var table: UnsafeMutableRawPointer?
    /// What `calloc` gave for `table` (which is aligned to 64 bytes inside it).
    @exclusivity(unchecked) private var allocation: UnsafeMutableRawPointer?
    @exclusivity(unchecked) private var mapGeneration: UInt64 = 0
    /// The current epoch (0: none yet) and the snapshot id it stands for.
    @exclusivity(unchecked) private var epoch: UInt64 = 0
    @exclusivity(unchecked) private var snapshot: UInt64 = 0
    /// Test hook: the hash of a folded name.
    private let hash: (UnsafeRawBufferPointer) -> UInt64
    /// Lookups answered from the cache, and lookups that went to the B-trees.
    @exclusivity(unchecked) public private(set) var hits = 0
    @exclusivity(unchecked) public private(set) var misses = 0

    /// A cache of at most `entries` entries (the largest power of two not above it; at
    /// least one set of 4), so at most `entries` × 64 bytes.
    public convenience init(entries: Int) {
        self.init(entries: entries, hash: DocumentCache.hash)
    }

    init(entries: Int, hash: @escaping (UnsafeRawBufferPointer) -> UInt64) {
        var n = Self.ways
        while n <= entries / 2 { n <<= 1 }
        setMask = n / Self.ways - 1
        self.hash = hash
    }

    deinit { free(allocation) }

    /// How many entries the table holds.
    var capacity: Int { (setMask + 1) * Self.ways }

    /// FNV-1a of the name (`ContentHash`), mixed.
    static func hash(_ name: UnsafeRawBufferPointer) -> UInt64 {
        var c = ContentHash()
        c.add(name)
        var h = c.value
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 29)
    }

    /// Starts a new epoch when the map was remapped since the current one began.
    func check(mapGeneration g: UInt64) {
        guard g != mapGeneration else { return }
        mapGeneration = g
        newEpoch(snapshot)
    }

    /// The epoch of snapshot `id`: the current one, or a new one.
    @inline(__always)
    private func epoch(of id: UInt64) -> UInt64 {
        if id != snapshot || epoch == 0 { newEpoch(id) }
        return epoch
    }

    private func newEpoch(_ id: UInt64) {
        snapshot = id
        if epoch == 0xFFFF {
            // Epochs are 16 bits: after 65,535 of them, the table is emptied and they start again.
            table?.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * Self.entrySize)
            epoch = 1
        } else {
            epoch += 1
        }
    }

    @inline(__always)
    private func set(_ hash: UInt64) -> UnsafeMutableRawPointer? {
        table.map { $0 + (Int(truncatingIfNeeded: hash) & setMask) * Self.ways * Self.entrySize }
    }

    /// The id and paragraph table of the document whose folded name is `name` (1 to
    /// `maxName` bytes) in snapshot `snapshot`, if cached.
    @inline(__always)
    func lookup(_ name: UnsafeRawBufferPointer, snapshot: UInt64) -> (id: UInt32, table: UnsafeRawBufferPointer)? {
        let h = hash(name)
        if let set = set(h) {
            let epoch = epoch(of: snapshot) << 48
            for i in 0..<Self.ways {
                let e = set + i * Self.entrySize
                guard e.load(as: UInt64.self) == h else { continue }
                let word = e.load(fromByteOffset: 8, as: UInt64.self)
                guard word & 0xFFFF_0000_0000_0000 == epoch,
                    Int(e.load(fromByteOffset: 24, as: UInt32.self)) == name.count,
                    memcmp(e + 32, name.baseAddress!, name.count) == 0,
                    let base = UnsafeRawPointer(bitPattern: UInt(word & 0xFFFF_FFFF_FFFF))
                else { continue }
                hits += 1
                let length = Int(e.load(fromByteOffset: 16, as: UInt32.self))
                return (e.load(fromByteOffset: 20, as: UInt32.self), UnsafeRawBufferPointer(start: base, count: length))
            }
        }
        misses += 1
        return nil
    }

    /// Records that the document whose folded name is `name` has id `id` and its paragraph
    /// table at `table` in snapshot `snapshot` (when the name is 1 to `maxName` bytes, and
    /// the address fits in 48 bits, as every user-space address does on x86-64).
    @inline(__always)
    func insert(_ name: UnsafeRawBufferPointer, snapshot: UInt64, id: UInt32, table bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count <= UInt32.max, UInt(bitPattern: base) >> 48 == 0,
            name.count >= 1, name.count <= Self.maxName
        else { return }
        if table == nil {
            allocation = calloc(capacity * Self.entrySize + 64, 1)
            if let allocation { table = allocation + (64 - Int(bitPattern: allocation) % 64) % 64 }
        }
        let h = hash(name)
        guard let set = set(h) else { return }
        (set + Self.entrySize).copyMemory(from: set, byteCount: (Self.ways - 1) * Self.entrySize)
        set.storeBytes(of: h, as: UInt64.self)
        set.storeBytes(of: UInt64(UInt(bitPattern: base)) | epoch(of: snapshot) << 48, toByteOffset: 8, as: UInt64.self)
        set.storeBytes(of: UInt32(bytes.count), toByteOffset: 16, as: UInt32.self)
        set.storeBytes(of: id, toByteOffset: 20, as: UInt32.self)
        set.storeBytes(of: UInt32(name.count), toByteOffset: 24, as: UInt32.self)
        (set + 32).copyMemory(from: name.baseAddress!, byteCount: name.count)
    }
}
