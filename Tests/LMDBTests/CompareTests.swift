import CLMDB
import Foundation
import LMDB
import Testing

@Suite("Key order")
struct CompareTests {
    /// LMDB's default order: bytes compared as unsigned, then the shorter first.
    static func reference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
    }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in
                var va = MDB_val(mv_size: pa.count, mv_data: UnsafeMutableRawPointer(mutating: pa.baseAddress))
                var vb = MDB_val(mv_size: pb.count, mv_data: UnsafeMutableRawPointer(mutating: pb.baseAddress))
                return Int(verbatim_lmdb_compare(&va, &vb)).signum()
            }
        }
    }

    @Test("the fast comparison orders as LMDB's default, for 4- and 8-byte keys and any other")
    func sameOrder() {
        var rng = SystemRandomNumberGenerator()
        // Few byte values, so that equal prefixes and equal keys are common.
        func key(_ n: Int) -> [UInt8] { (0..<n).map { _ in [0x00, 0x01, 0x7F, 0x80, 0xFF].randomElement(using: &rng)! } }
        var compared = 0
        for _ in 0..<20_000 {
            let a = key(Int.random(in: 0...9, using: &rng))
            let b = Bool.random(using: &rng) ? key(a.count) : key(Int.random(in: 0...9, using: &rng))
            #expect(Self.compare(a, b) == Self.reference(a, b), "\(a) \(b)")
            compared += 1
        }
        #expect(compared == 20_000)
        #expect(Self.compare([0, 0, 0, 1], [0, 0, 1, 0]) == -1)
        #expect(Self.compare([0xFF, 0, 0, 0, 0, 0, 0, 0], [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == 1)
        #expect(Self.compare([1, 2, 3, 4], [1, 2, 3, 4]) == 0)
    }

    @Test("a database's keys and duplicate values come back in that order")
    func storedOrder() throws {
        let t = try TempEnvironment()
        let db = try t.env.openDatabase("mixed", flags: [.duplicateSort])
        var rng = SystemRandomNumberGenerator()
        var keys: Set<[UInt8]> = []
        while keys.count < 500 {
            keys.insert((0..<[3, 4, 4, 5, 8, 8, 9].randomElement(using: &rng)!).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let values: [[UInt8]] = [[9, 9, 9, 9], [0, 0, 0, 1], [1, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [0, 1]]
        try t.env.write { txn in
            for k in keys.shuffled() { for v in values.shuffled() { try txn.put(db, key: k, value: v) } }
        }
        var seen: [[UInt8]] = []
        var valuesOfFirst: [[UInt8]] = []
        try t.env.read { txn in
            try txn.forEach(db) { k, v in
                let key = k.withUnsafeBytes { Array($0) }
                if seen.last != key { seen.append(key) }
                if seen.count == 1 { valuesOfFirst.append(v.withUnsafeBytes { Array($0) }) }
                return true
            }
        }
        #expect(seen == keys.sorted { Self.reference($0, $1) < 0 })
        #expect(valuesOfFirst == values.sorted { Self.reference($0, $1) < 0 })
    }
}
