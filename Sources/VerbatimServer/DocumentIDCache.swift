import Foundation

/// Document ids by the bytes a GetParagraph request names its document with (`L/3282`,
/// `l/3282`, a key), so that a repeated document costs no index lookup.
///
/// One per event loop, shared by its connections and touched only on that loop's thread.
/// Entries hold for one committed state of the store (`Snapshot.generation`): a lookup at
/// another generation finds nothing and starts the cache afresh, so an ingest, replace or
/// delete is seen by the next call. Unknown documents are not cached. Open addressing with
/// linear probing over a power-of-two table; the key bytes live in one arena; when the
/// table is three-quarters full or the arena reaches its limit, everything is dropped.
final class DocumentIDCache {
    private struct Slot {
        var hash: UInt64 = 0
        var start: Int32 = 0
        var length: Int32 = 0
        var id: UInt32 = 0
        /// The `epoch` the slot was filled in; any other value means empty.
        var epoch: UInt32 = 0
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private let arenaLimit: Int
    private var count = 0
    /// Bumped to empty every slot at once; slots start at 0, so the first epoch is 1.
    private var epoch: UInt32 = 1
    private var generation: Int?

    /// - Parameters:
    ///   - capacity: slots, rounded up to a power of two; at most three-quarters are used.
    ///   - arenaLimit: bytes of keys kept before everything is dropped.
    init(capacity: Int = 16_384, arenaLimit: Int = 1 << 20) {
        var n = 16
        while n < capacity { n <<= 1 }
        slots = Array(repeating: Slot(), count: n)
        self.arenaLimit = arenaLimit
        arena.reserveCapacity(min(arenaLimit, 64 << 10))
    }

    /// Entries now held.
    var entries: Int { count }

    /// The id cached for `key` at `generation`, or nil.
    func id(for key: UnsafeRawBufferPointer, generation: Int) -> UInt32? {
        guard generation == self.generation else { return nil }
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].epoch == epoch {
            if slots[i].hash == hash && Int(slots[i].length) == key.count && matches(slots[i], key) {
                return slots[i].id
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Remembers that `key` named document `id` at `generation`.
    func insert(_ key: UnsafeRawBufferPointer, id: UInt32, generation: Int) {
        if generation != self.generation {
            clear()
            self.generation = generation
        }
        if (count + 1) * 4 > slots.count * 3 || arena.count + key.count > arenaLimit {
            clear()
        }
        guard key.count <= arenaLimit else { return }
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].epoch == epoch {
            if slots[i].hash == hash && Int(slots[i].length) == key.count && matches(slots[i], key) { return }
            i = (i + 1) & mask
        }
        slots[i] = Slot(hash: hash, start: Int32(arena.count), length: Int32(key.count), id: id, epoch: epoch)
        arena.append(contentsOf: key)
        count += 1
    }

    /// Drops every entry.
    func clear() {
        if epoch == .max {
            for i in slots.indices { slots[i].epoch = 0 }
            epoch = 0
        }
        epoch += 1
        arena.removeAll(keepingCapacity: true)
        count = 0
    }

    private func matches(_ slot: Slot, _ key: UnsafeRawBufferPointer) -> Bool {
        guard key.count > 0, let base = key.baseAddress else { return slot.length == 0 }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + Int(slot.start), base, key.count) == 0 }
    }

    /// FNV-1a, 64-bit.
    private static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
