import LMDB
import Testing

@Suite("Posting lists")
struct PostingReaderTests {
    /// Keys 1...4 of a `MDB_DUPSORT | MDB_DUPFIXED` database: one value, a page's worth, and
    /// many pages' worth (sparse and dense), each sorted and distinct.
    static func lists() -> [UInt32: [UInt32]] {
        var rng = SystemRandomNumberGenerator()
        func sorted(_ n: Int, below: UInt32) -> [UInt32] {
            var s: Set<UInt32> = []
            while s.count < n { s.insert(UInt32.random(in: 0..<below, using: &rng)) }
            return s.sorted()
        }
        return [1: [77], 2: sorted(300, below: 10_000), 3: sorted(20_000, below: 1 << 30), 4: sorted(9_000, below: 12_000)]
    }

    @Test("next(atLeast:) and run(atLeast:), mixed, find the first value not less than each target")
    func matchesReference() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("postings", flags: [.duplicateSort, .duplicateFixed])
        let lists = Self.lists()
        try t.env.write { txn in
            let postings = lists.flatMap { key, values in values.map { UInt64(key) << 32 | UInt64($0) } }.sorted()
            try txn.putSortedUInt32Postings(db, postings, appendingValues: true)
        }
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<12 {
            try t.env.read { txn in
                let keys: [BigEndianKey<UInt32>] = [1, 2, 3, 4, 5].map { BigEndianKey(UInt32($0)) }
                try txn.withPostingReaders(db, keys: keys) { readers in
                    #expect(readers.map(\.count) == [1, 300, 20_000, 9_000, 0])
                    for (k, reader) in readers.enumerated() {
                        let values = lists[UInt32(k + 1)] ?? []
                        let top = values.last ?? 0
                        // Targets that do not decrease: small steps, jumps, and past the end.
                        var target: UInt32 = 0
                        while true {
                            let expected = values.first { $0 >= target }
                            if Bool.random(using: &rng) {
                                #expect(try reader.next(atLeast: target) == expected, "key \(k + 1), target \(target)")
                            } else {
                                let run = try reader.run(atLeast: target)
                                let got = run.map { r in
                                    (0..<(r.count / 4)).map { UInt32(bigEndian: r.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
                                }
                                #expect(got?.first == expected, "key \(k + 1), target \(target)")
                                if let got, let first = got.first, let at = values.firstIndex(of: first) {
                                    // The rest of the run is the values that follow, in order.
                                    #expect(Array(values[at..<(at + got.count)]) == got)
                                    #expect(got.count <= 1024)
                                }
                                // A caller that read the run may skip past some of it.
                                if let got, got.count > 1, Bool.random(using: &rng) {
                                    target = got[Int.random(in: 0..<got.count, using: &rng)]
                                }
                            }
                            checked += 1
                            if expected == nil || target > top { break }
                            let step =
                                Bool.random(using: &rng)
                                ? UInt32.random(in: 0...3, using: &rng) : UInt32.random(in: 0...(top / 20 + 1), using: &rng)
                            let (sum, overflow) = target.addingReportingOverflow(step)
                            target = overflow ? .max : sum
                        }
                        #expect(try reader.next(atLeast: .max) == nil || values.last == .max)
                        #expect(try reader.run(atLeast: .max) == nil)
                    }
                }
            }
        }
        #expect(checked > 500)
    }
}
