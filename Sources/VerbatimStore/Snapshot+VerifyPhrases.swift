import LMDB
import VerbatimModel

extension Snapshot {
    /// Checks the phrase index against the stored paragraphs: every document has its
    /// ordinals and a span that names it as its citations do, every word pair of every
    /// paragraph is listed with the mask bits of its pairs, and the index holds nothing else (its entry count equals the
    /// expected count, and since a bucket lists an ordinal at most once, nothing is stale).
    func verifyPhrases() throws -> [VerifyProblem] {
        var problems: [VerifyProblem] = []
        func report(_ db: String, _ m: String) { problems.append(VerifyProblem(database: db, message: m)) }
        var expected = 0
        var spans = 0
        var folded = PhraseText()
        var expectedEntries: [UInt32: Set<UInt64>] = [:]  // ordinal → bucket << 32 | mask, kept only for small stores
        let small = try counter("paragraphs") <= 50_000
        try txn.withCursor(schema.phrases) { c in
            try txn.forEach(schema.docs) { key, value in
                let id = Keys.u32(key)
                guard let doc = try? DocumentRecord(span: value) else { return true }
                guard let first = try txn.get(schema.phraseDocs, key: Keys.id(id), { Keys.u32($0) }) else {
                    report("phrase_docs", "\(doc.key) has no paragraph ordinals")
                    return true
                }
                if doc.paragraphCount > 0 {
                    spans += 1
                    let last = first + doc.paragraphCount - 1
                    let name = doc.name
                    let fits = try txn.get(schema.phraseSpans, key: Keys.id(last)) { v in
                        v.withUnsafeBytes { b in
                            PhraseSpan(b).map {
                                $0.id == id && $0.first == first && $0.date == doc.date
                                    && $0.name.elementsEqual(name.utf8) && $0.title.elementsEqual(doc.title.utf8)
                            }
                        }
                    }
                    if fits != true {
                        report(
                            "phrase_spans",
                            fits == nil
                                ? "\(doc.key) has no span under its last ordinal \(last)"
                                : "the span under ordinal \(last) does not match \(doc.key) (id \(id), first ordinal \(first), its date, name and title)")
                    }
                }
                for n in 0..<doc.paragraphCount {
                    let ordinal = first + n
                    // A paragraph that cannot be read is reported under `paras` (`verify`).
                    guard let text = (try? paragraph(documentID: id, number: n + 1))?.text else { continue }
                    folded.reset(text, offsets: false)
                    let entries = PhraseIndex.entries(folded)
                    expected += entries.count
                    if small { expectedEntries[ordinal] = Set(entries) }
                    for e in entries {
                        let b = UInt32(e >> 32)
                        let value = UInt32(PhraseIndex.value(ordinal: ordinal, mask: e))
                        if !(try c.contains(key: PhraseIndex.key(b), value: BigEndianKey(value))) {
                            report(
                                "phrases",
                                "\(doc.key) paragraph \(n + 1) (ordinal \(ordinal)) is missing from bucket \(b) with mask \(e & 0xFF)")
                        }
                    }
                }
                return true
            }
        }
        let docsWithOrdinals = try txn.statistics(schema.phraseDocs).entries
        let documents = try txn.statistics(schema.docs).entries
        if docsWithOrdinals != documents {
            report("phrase_docs", "\(docsWithOrdinals) entries for \(documents) documents")
        }
        let stored = try txn.statistics(schema.phraseSpans).entries
        if stored != spans { report("phrase_spans", "\(stored) spans stored, documents with paragraphs account for \(spans)") }
        let entries = try txn.statistics(schema.phrases).entries
        if entries != expected {
            report("phrases", "\(entries) entries stored, paragraphs account for \(expected)")
            if small {
                // Name the stale entries.
                try txn.forEach(schema.phrases) { key, value in
                    let b = Keys.u32(key)
                    let v = Keys.u32(value)
                    let o = v >> 8
                    if expectedEntries[o]?.contains(UInt64(b) << 32 | UInt64(v & 0xFF)) != true {
                        report("phrases", "bucket \(b) lists ordinal \(o) with mask \(v & 0xFF), which no paragraph's words put there")
                    }
                    return true
                }
            }
        }
        return problems
    }
}
