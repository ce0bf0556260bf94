import CByteScan
import Testing

@Suite("The byte scan of quote lookup (CByteScan)")
struct ByteScanTests {
    /// The test `verbatim_byte_pattern` documents, one position at a time.
    static func passes(_ b: [UInt8], _ i: Int, _ p: verbatim_byte_pattern) -> Bool {
        if p.lead != 0 && b[i] == p.lead { return true }
        let values = [p.values.0, p.values.1, p.values.2, p.values.3]
        let cases = [p.cases.0, p.cases.1, p.cases.2, p.cases.3]
        for k in 0..<Int(p.depth) {
            guard i + k < b.count else { return false }
            let c = b[i + k]
            if k == Int(p.depth) - 1 && p.space_last != 0 {
                if !(c <= 0x20 || c >= 0x80) { return false }
            } else if c | cases[k] != values[k] {
                return false
            }
        }
        return true
    }

    @Test("every scan stops at the first position that passes, or past the last it tests, on random text and patterns")
    func agreesWithThePositionTest() {
        // Few distinct bytes, so that patterns pass often and at every offset in a block.
        let alphabet: [UInt8] = [0x61, 0x62, 0x41, 0x42, 0x20, 0x09, 0x2C, 0xC3, 0xA9, 0xE2, 0x80, 0x94]
        var rng = SystemRandomNumberGenerator()
        var hits = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...160, using: &rng)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &rng)! }
            var p = verbatim_byte_pattern()
            p.depth = Int32.random(in: 1...4, using: &rng)
            var values: [UInt8] = []
            var cases: [UInt8] = []
            for _ in 0..<4 {
                let v = [UInt8](arrayLiteral: 0x61, 0x62, 0x2C).randomElement(using: &rng)!
                values.append(v)
                cases.append(v == 0x2C ? 0 : 0x20)
            }
            p.values = (values[0], values[1], values[2], values[3])
            p.cases = (cases[0], cases[1], cases[2], cases[3])
            p.space_last = Int32.random(in: 0...1, using: &rng)
            p.lead = [0, 0xC3, 0xE2].randomElement(using: &rng)!
            let from = Int.random(in: 0...count, using: &rng)
            for scan in [verbatim_byte_scan, verbatim_byte_scan_sse2] {
                let r = bytes.withUnsafeBufferPointer { b in
                    withUnsafePointer(to: p) { Int(scan(b.baseAddress, count, from, $0)) }
                }
                #expect(r >= from && r <= max(from, count), "\(r) from \(from) of \(count)")
                let skipped = (from..<min(r, count)).filter { Self.passes(bytes, $0, p) }
                #expect(skipped.isEmpty, "skipped \(skipped) before \(r) in \(bytes) for \(p)")
                if r + 19 <= count {
                    #expect(Self.passes(bytes, r, p), "\(r) does not pass in \(bytes) for \(p)")
                    hits += 1
                }
            }
        }
        // The random cases reach both outcomes.
        #expect(hits > 1000)
    }
}
