import VerbatimModel

/// A stable 64-bit FNV-1a hash of a parsed document's content, the same in every
/// process and build (Swift's `Hasher` is seeded per process, so it cannot be used).
/// Equal hashes are confirmed by comparing records byte for byte before a document is
/// called unchanged.
struct ContentHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x100_0000_01b3
        }
    }

    mutating func add(_ s: String?) {
        guard let s else { add([0xFF]); return }
        add(UInt64(s.utf8.count))
        add(s.utf8)
    }

    mutating func add(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { add($0) }
    }

    static func of(_ doc: Document) -> UInt64 {
        var h = ContentHash()
        h.add(doc.key)
        h.add(doc.symbol)
        h.add(doc.title)
        h.add(UInt64(doc.date?.packed ?? 0))
        h.add(doc.place)
        h.add(doc.kind.rawValue)
        h.add(UInt64(doc.headerLines.count))
        for l in doc.headerLines { h.add(l) }
        h.add(UInt64(doc.headings.count))
        for l in doc.headings { h.add(l) }
        h.add(UInt64(doc.speakers.count))
        for s in doc.speakers {
            h.add(s.name)
            h.add(s.role)
            h.add(s.affiliation)
            h.add(s.isRoleOnly ? 1 : 0)
            h.add(UInt64(s.aliases.count))
            for a in s.aliases { h.add(a) }
        }
        h.add(UInt64(doc.paragraphs.count))
        for p in doc.paragraphs {
            h.add(UInt64(p.number))
            h.add(p.text)
            h.add(p.heading)
            h.add(UInt64(p.speaker.map { $0 + 1 } ?? 0))
            h.add(p.attribution.rawValue)
            h.add(UInt64(p.quotes.count))
            for q in p.quotes { h.add(UInt64(q.lowerBound)); h.add(UInt64(q.upperBound)) }
            h.add(UInt64(p.citedSymbols.count))
            for c in p.citedSymbols { h.add(c) }
            h.add(UInt64(p.sourceNumber ?? 0))
        }
        return h.value
    }
}
