import Foundation
import LMDB
import Testing
import VerbatimModel
import VerbatimStore
import VerbatimTesting

/// A store in a temporary directory.
struct TestStore {
    let dir = TemporaryDirectory("verbatim-store")
    var path: String { dir.appending("store") }
    func open() throws -> Store { try Store(path: path) }
}

let threeParagraphs = [
    "Opening words by the Secretary-General.",
    "Jordan agreed.  See Press Release GA/12035.",
    "We must work together, he said.",
]

/// Expects `body` to fail with a `.corrupt` store error saying `message`.
func expectCorrupt(_ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a corrupt store", sourceLocation: sourceLocation)
    } catch {
        let e = error as? StoreError
        #expect(e?.code == .corrupt, sourceLocation: sourceLocation)
        #expect(e?.message == message, sourceLocation: sourceLocation)
    }
}

@Suite("Store")
struct StoreTests {
    @Test("an ingested document is read back by key, symbol in any case, number and range")
    func readBack() throws {
        let t = TestStore()
        let store = try t.open()
        let outcome = try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
        #expect(outcome == .added(1))
        try store.read { (snap: borrowing Snapshot) throws in
            #expect(try snap.paragraph(key: "l/9001", number: 2)?.text == threeParagraphs[1])
            #expect(try snap.paragraph(key: "L/9001", number: 3)?.citation == "L/9001 \u{00B6}3")
            #expect(try snap.paragraph(key: "L/9001", number: 4) == nil)
            #expect(try snap.paragraphs(key: "L/9001", range: 2...3).map(\.number) == [2, 3])
            #expect(try snap.paragraphs(key: "L/9001").map(\.text) == threeParagraphs)
            let p1 = try #require(try snap.paragraph(key: "L/9001", number: 1))
            #expect(p1.speaker.name == "António Guterres")
            #expect(p1.date == 20180628)
        }
    }

    @Test("a read session keeps its snapshot until end(), then sees later commits")
    func readSession() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: threeParagraphs))
        let session = ReadSession(store: store)
        #expect(!session.isHolding)
        let before = try session.read { try $0.documentID(utf8: UnsafeRawBufferPointer(start: nil, count: 0)) }
        #expect(before == nil && session.isHolding)
        #expect(try session.read { try $0.paragraph(key: "L/9001", number: 1)?.text } == threeParagraphs[0])
        try store.ingest(Fixtures.document(symbol: "L/9002", paragraphs: ["Later."]))
        #expect(try session.read { try $0.documentID("L/9002") } == nil, "the held snapshot predates the commit")
        session.end()
        #expect(!session.isHolding)
        #expect(try session.read { try $0.paragraph(key: "l/9002", number: 1)?.text } == "Later.")
        session.end()
    }

    @Test("document ids by UTF-8 bytes: folded like symbols, ASCII on the stack, other text through Folding")
    func documentIDByBytes() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: threeParagraphs))
        try store.read { (snap: borrowing Snapshot) throws in
            let id = try #require(try snap.documentID("L/9001"))
            for key in ["L/9001", "l/9001", " l / 9001 ", "l/\u{00A0}9001", "L\u{2011}/9001"] {
                let found = try Array(key.utf8).withUnsafeBytes { try snap.documentID(utf8: $0) }
                #expect(found == (key.contains("\u{2011}") ? nil : id), "\(key)")
            }
        }
    }

    @Test("a range past the end names the document and its length")
    func rangePastEnd() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
        do {
            _ = try store.read { try $0.paragraphs(key: "L/9001", range: 2...40) }
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "paragraph 40 is past the end of L/9001 (3 paragraphs)")
        }
        do {
            _ = try store.read { try $0.paragraphs(key: "L/9999") }
            Issue.record("expected an error")
        } catch StoreError.notFound {
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("re-ingesting an unchanged document changes nothing, not one byte on disk")
    func unchanged() throws {
        let t = TestStore()
        let store = try t.open()
        let doc = Fixtures.document(paragraphs: threeParagraphs)
        try store.ingest(doc)
        let before = try Data(contentsOf: URL(fileURLWithPath: t.path + "/data.mdb"))
        let stats = try store.read { try $0.statistics() }
        #expect(try store.ingest(doc) == .unchanged(1))
        let after = try Data(contentsOf: URL(fileURLWithPath: t.path + "/data.mdb"))
        #expect(before == after)
        #expect(try store.read { try $0.statistics() } == stats)
    }

    @Test("cited-by a blank symbol is a clear error, an over-long one finds nothing")
    func citedByOddSymbols() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(paragraphs: threeParagraphs, cited: [2: ["GA/12035"]]))
        try store.read { (snap: borrowing Snapshot) throws in
            #expect(try snap.citingParagraphs("ga/12035").map(\.number) == [2])
            #expect(throws: StoreError.self) { try snap.citingParagraphs("   ") }
            #expect(try snap.citingParagraphs(String(repeating: "S/", count: 400)).isEmpty)
        }
    }

    @Test("a changed document with the same key replaces the old one and leaves no stale entry")
    func replace() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(paragraphs: threeParagraphs, cited: [2: ["GA/12035"]]))
        // Shorter, another speaker only, no citation.
        let other = Speaker(name: "Kai Sauer", affiliation: "Finland")
        let outcome = try store.ingest(
            Fixtures.document(paragraphs: ["Only one paragraph now."], speakers: [other], speakerOf: { _ in 0 }))
        #expect(outcome == .replaced(1))
        try store.read { (snap: borrowing Snapshot) throws in
            #expect(try snap.paragraph(key: "L/9001", number: 2) == nil)
            #expect(try snap.citingParagraphs("GA/12035").isEmpty)
            #expect(try snap.findSpeakers("António Guterres").isEmpty)
            #expect(try snap.findSpeakers("kai sauer").map(\.paragraphCount) == [1])
            #expect(try snap.statistics().paragraphs == 1)
        }
        #expect(try store.verify() == [])
    }

    @Test("deleting a document removes its paragraphs, index entries and unused speakers")
    func delete() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(paragraphs: threeParagraphs, cited: [2: ["GA/12035"]]))
        try store.ingest(
            Fixtures.document(symbol: "L/9002", paragraphs: ["Another."], speakers: [Fixtures.guterres], speakerOf: { _ in 0 }))
        try store.delete("l/9001")
        try store.read { (snap: borrowing Snapshot) throws in
            #expect(try snap.document("L/9001") == nil)
            #expect(try snap.citingParagraphs("GA/12035").isEmpty)
            #expect(try snap.findSpeakers("Sima Bahous").isEmpty)
            let g = try snap.findSpeakers("Antonio Guterres")
            #expect(g.count == 1 && g[0].documentCount == 1 && g[0].paragraphCount == 1)
            #expect(try snap.statistics().documents == 1)
        }
        #expect(try store.verify() == [])
        #expect(throws: StoreError.self) { try store.delete("L/9001") }
    }

    @Test("the same speaker in two documents is one speaker, found ignoring case and diacritics")
    func speakersMerge() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(
            Fixtures.document(symbol: "L/2", date: DocumentDate(year: 2019), paragraphs: ["b1", "b2"]))
        try store.ingest(
            Fixtures.document(symbol: "L/1", date: DocumentDate(year: 2018, month: 1, day: 5), paragraphs: ["a1"]))
        try store.read { (snap: borrowing Snapshot) throws in
            let found = try snap.findSpeakers("ANTONIO guterres")
            #expect(found.count == 1)
            let g = try #require(found.first)
            #expect(g.documentCount == 2)
            #expect(Set(g.aliases.map(\.text)) == ["António Guterres", "ANTÓNIO GUTERRES", "Mr. Guterres"])
            #expect(try snap.findSpeakers("mr guterres").map(\.id) == [g.id])
            // Date order across documents: L/1 (2018) before L/2 (2019).
            let paras = try snap.paragraphs(bySpeaker: g.id)
            #expect(paras.map(\.citation) == ["L/1 \u{00B6}1", "L/2 \u{00B6}1"])
            let in2019 = try snap.paragraphs(bySpeaker: g.id, dates: 2019_00_00...2019_12_31)
            #expect(in2019.map(\.citation) == ["L/2 \u{00B6}1"])
        }
    }

    @Test("a symbol already owned by another document is refused and nothing is written")
    func symbolConflict() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
        var clash = Fixtures.document(paragraphs: ["x"])
        clash.key = "other-key"
        do {
            try store.ingest(clash)
            Issue.record("expected a conflict")
        } catch {
            #expect("\(error)" == "symbol L/9001 already belongs to document \"L/9001\"")
        }
        #expect(try store.read { try $0.statistics().documents } == 1)
        #expect(try store.verify() == [])
    }

    @Test("verify reports an index entry that disagrees with the primary data")
    func verifyFindsCorruption() throws {
        let t = TestStore()
        do {
            let store = try t.open()
            try store.ingest(Fixtures.document(paragraphs: threeParagraphs, cited: [2: ["GA/12035"]]))
            #expect(try store.verify() == [])
        }
        // Plant a stray cross-reference with the raw LMDB API, as a bug or a bad disk would.
        do {
            let env = try Environment(path: t.path, options: .init(create: false))
            let refs = try env.openDatabase("refs", flags: [.duplicateSort, .duplicateFixed], create: false)
            try env.write { txn in
                try txn.put(refs, key: "GA/99999", value: BigEndianKey(UInt64(1) << 32 | 3))
                try txn.put(refs, key: "GA/88888", value: BigEndianKey(UInt64(1) << 32 | 9))
                try txn.put(refs, key: "GA/77777", value: BigEndianKey(UInt64(7) << 32 | 1))
            }
        }
        let store = try t.open()
        let problems = try store.verify()
        #expect(
            problems.map(\.description) == [
                "refs: GA/77777 lists document 7 paragraph 1, which does not cite it",
                "refs: GA/88888 lists document 1 paragraph 9, which does not cite it",
                "refs: GA/99999 lists document 1 paragraph 3, which does not cite it",
            ])
        // A listed paragraph that is not stored fails the answer instead of leaving it out.
        expectCorrupt("refs lists paragraph 9 of document 1 as citing GA/88888, which is not stored") {
            _ = try store.read { try $0.citedBy("GA/88888") }
        }
        expectCorrupt("refs lists document 7 as holding paragraph 1, citing GA/77777, which is not stored") {
            _ = try store.read { try $0.citedBy("GA/77777") }
        }
    }

    @Test("speaker postings and speakers a document names that are not stored fail the speaker queries instead of being left out")
    func danglingSpeakerEntries() throws {
        let t = TestStore()
        let (guterres, bahous): (UInt32, UInt32)
        do {
            let store = try t.open()
            try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
            guterres = try #require(try store.read { try $0.findSpeakers("António Guterres") }.first?.id)
            bahous = try #require(try store.read { try $0.findSpeakers("Sima Bahous") }.first?.id)
            #expect(try store.read { try $0.paragraphs(bySpeaker: guterres) }.map(\.number) == [1, 3])
        }
        // Postings (date, document, number) for a paragraph and a document that are not stored.
        let env = try Environment(path: t.path, options: .init(create: false))
        let postings = try env.openDatabase("speaker_paras", flags: [.duplicateSort, .duplicateFixed], create: false)
        func posting(_ doc: UInt32, _ number: UInt32) -> [UInt8] {
            [20180628, doc, number].flatMap { v in withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        }
        try env.write { txn in
            try txn.put(postings, key: BigEndianKey(guterres), value: posting(1, 9))
            try txn.put(postings, key: BigEndianKey(bahous), value: posting(7, 1))
        }
        let store = try t.open()
        let missing = "speaker_paras lists paragraph 9 of document 1 for speaker \(guterres), which is not stored"
        expectCorrupt(missing) {
            _ = try store.read { try $0.paragraphs(bySpeaker: guterres) }
        }
        expectCorrupt(missing) {
            try store.read { try $0.withParagraphBytes(bySpeaker: guterres) { _, _ in } }
        }
        expectCorrupt("speaker_paras lists document 7 for speaker \(bahous), which is not stored") {
            _ = try store.read { try $0.quotations(bySpeaker: bahous) }
        }
        // A speaker the document names, gone.
        let speakers = try env.openDatabase("speakers", create: false)
        try env.write { txn in _ = try txn.delete(speakers, key: BigEndianKey(bahous)) }
        expectCorrupt("document L/9001 lists speaker \(bahous) among its speakers, which is not stored") {
            _ = try store.read { try $0.quotations(bySpeaker: guterres) }
        }
        // Its name is still indexed: finding it fails instead of leaving it out.
        expectCorrupt("speaker_names lists speaker \(bahous) for \"sima bahous\", which is not stored") {
            try store.read { try $0.forEachSpeakerRecord(named: "sima bahous") { _ in } }
        }
        expectCorrupt("speaker_names lists speaker \(bahous) for \"Sima Bahous\", which is not stored") {
            _ = try store.read { try $0.findSpeakers("Sima Bahous") }
        }
    }

    @Test("a document record that is not a well-formed message fails a listing of documents as corrupt")
    func malformedDocumentRecord() throws {
        let t = TestStore()
        do {
            let store = try t.open()
            try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
            var count = 0
            let next = try store.read {
                try $0.forEachDocumentRecord(after: 0, dates: nil, kind: nil, limit: 10) { _ in count += 1 }
            }
            #expect(count == 1 && next == 0)
        }
        let env = try Environment(path: t.path, options: .init(create: false))
        let docs = try env.openDatabase("docs", create: false)
        // Field 2 (key), length-delimited, 5 bytes long, with 1 byte left.
        try env.write { txn in try txn.put(docs, key: BigEndianKey(UInt32(2)), value: [0x12, 0x05, 0x41]) }
        let store = try t.open()
        expectCorrupt("the record of document 2 is not a well-formed message") {
            _ = try store.read { try $0.forEachDocumentRecord(after: 0, dates: nil, kind: nil, limit: 10) { _ in } }
        }
        // Paging past it does not read it.
        var past = 0
        _ = try store.read { try $0.forEachDocumentRecord(after: 2, dates: nil, kind: nil, limit: 10) { _ in past += 1 } }
        #expect(past == 0)
    }

    @Test("a document's paragraph table that does not fit its value, holds too few paragraphs or is missing is reported and read as corrupt")
    func paragraphTableCorruption() throws {
        let t = TestStore()
        do {
            let store = try t.open()
            try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
            #expect(try store.verify() == [])
        }
        // `paras` holds one value per document: count, count + 1 offsets, the records.
        let env = try Environment(path: t.path, options: .init(create: false))
        let paras = try env.openDatabase("paras", create: false)
        let original = try env.read { txn in try txn.get(paras, key: BigEndianKey(UInt32(1))) { $0.withUnsafeBytes { Array($0) } } }
        let value = try #require(original)
        func u32(_ at: Int) -> UInt32 { value[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        func replacing(_ at: Int, with v: UInt32) -> [UInt8] {
            var out = value
            withUnsafeBytes(of: v.bigEndian) { out.replaceSubrange(at..<at + 4, with: $0) }
            return out
        }
        #expect(u32(0) == 3 && u32(16) == UInt32(value.count))

        // The end of paragraph 3 past the end of the value.
        try env.write { txn in try txn.put(paras, key: BigEndianKey(UInt32(1)), value: replacing(16, with: UInt32(value.count + 100))) }
        do {
            let store = try t.open()
            #expect(try store.read { try $0.paragraph(key: "L/9001", number: 2)?.text } == threeParagraphs[1])
            expectCorrupt("the paragraph table of document 1 does not describe its value") {
                _ = try store.read { try $0.paragraph(key: "L/9001", number: 3) }
            }
            #expect(
                try store.verify().map(\.description).contains(
                    "paras: L/9001 paragraph 3 cannot be read: the paragraph table of document 1 does not describe its value"))
        }

        // A count of 2: paragraph 3 is gone from the table.
        try env.write { txn in try txn.put(paras, key: BigEndianKey(UInt32(1)), value: replacing(0, with: 2)) }
        let problems = try t.open().verify().map(\.description)
        #expect(problems.contains("paras: L/9001 paragraph 3 is missing (3 expected)"))
        #expect(problems.contains("paras: document 1 has 2 paragraphs stored, its record says 3"))

        // A value for a document that does not exist.
        try env.write { txn in
            try txn.put(paras, key: BigEndianKey(UInt32(1)), value: value)
            try txn.put(paras, key: BigEndianKey(UInt32(7)), value: value)
        }
        #expect(
            try t.open().verify().map(\.description) == [
                "paras: document 7 does not exist but has 3 paragraphs stored",
                "paras: 6 paragraphs stored, documents account for 3",
            ])

        // No value for a document that counts paragraphs: an error, never an empty answer.
        try env.write { txn in
            try txn.delete(paras, key: BigEndianKey(UInt32(1)))
            try txn.delete(paras, key: BigEndianKey(UInt32(7)))
        }
        let store = try t.open()
        expectCorrupt("L/9001 has no paragraphs stored, its record says 3") {
            _ = try store.read { try $0.paragraphs(key: "L/9001") }
        }
        #expect(try store.read { try $0.paragraph(key: "L/9001", number: 2) } == nil)
        let missing = try store.read { try $0.missingParagraph(documentID: 1, number: 2) }
        #expect(missing.code == .corrupt)
        #expect(missing.message == "paragraph 2 of L/9001 is not stored, its record says 3 paragraphs")
        #expect(try store.read { try $0.missingParagraph(documentID: 1, number: 4) }.code == .notFound)
        let gone = try store.verify().map(\.description)
        #expect(gone.contains("paras: L/9001 paragraph 1 is missing (3 expected)"))
        #expect(gone.contains("docs: L/9001 counts 113 text bytes, paragraphs hold 0"))
    }

    @Test("a damaged record that quote lookup finds: malformed fields fail the lookup, text that is not UTF-8 fails its decoding")
    func damagedMatch() throws {
        let t = TestStore()
        do {
            let store = try t.open()
            try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
            #expect(try store.read { try $0.findQuote(QuoteQuery("must work together")) }.citations == ["L/9001 ¶3"])
        }
        let env = try Environment(path: t.path, options: .init(create: false))
        let paras = try env.openDatabase("paras", create: false)
        let value = try #require(try env.read { txn in try txn.get(paras, key: BigEndianKey(UInt32(1))) { $0.withUnsafeBytes { Array($0) } } })
        func u32(_ at: Int) -> Int { Int(value[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) }) }
        // Paragraph 3's record, and where its length-delimited top-level fields' bytes are.
        let record = u32(12)..<u32(16)
        var fields: [Int: Range<Int>] = [:]
        var i = record.lowerBound
        func varint() -> Int {
            var v = 0
            var shift = 0
            while true {
                let b = Int(value[i])
                i += 1
                v |= (b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        while i < record.upperBound {
            let tag = varint()
            if tag & 7 == 2 {
                let n = varint()
                fields[tag >> 3] = i..<(i + n)
                i += n
            } else {
                _ = varint()
            }
        }
        let text = try #require(fields[5])
        let speaker = try #require(fields[7])
        #expect(String(decoding: value[text], as: UTF8.self) == threeParagraphs[2])
        func damaged(_ at: Int, _ byte: UInt8) throws {
            var v = value
            v[at] = byte
            try env.write { txn in try txn.put(paras, key: BigEndianKey(UInt32(1)), value: v) }
        }

        // The text's last byte (the full stop) not UTF-8: found, cited, and failing only when decoded.
        try damaged(text.upperBound - 1, 0xFF)
        let found = try t.open().read { try $0.findQuote(QuoteQuery("must work together")) }
        #expect(found.matches.count == 1)
        #expect(found.matches.first?.ranges == [3..<21])
        do {
            _ = try found.matches.first?.paragraph
            Issue.record("expected the damaged paragraph not to decode")
        } catch {
            #expect((error as? StoreError)?.code == .corrupt)
            #expect((error as? StoreError)?.message.hasPrefix("a paragraph found by quote lookup does not decode") == true)
        }

        // The speaker's first tag of wire type 7 (none such): the lookup fails, citing nothing.
        try damaged(speaker.lowerBound, 0x0F)
        let store = try t.open()
        expectCorrupt("paragraph 3 of document 1 does not decode") {
            _ = try store.read { try $0.findQuote(QuoteQuery("must work together")) }
        }
    }

    @Test("a missing or wrong phrase span is reported by verify, and quote lookup fails as corrupt instead of citing wrongly")
    func phraseSpanCorruption() throws {
        let t = TestStore()
        do {
            let store = try t.open()
            try store.ingest(Fixtures.document(symbol: "L/9000", paragraphs: ["Nothing here."]))
            try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
            #expect(try store.verify() == [])
            let found = try store.read { try $0.findQuote(QuoteQuery("we must work together")) }
            #expect(try found.longCitations == [
                    "António Guterres, Secretary-General of the United Nations — “Sample meeting L/9001”, L/9001, 28 June 2018, ¶3"
                ])
        }
        // L/9001's paragraphs have ordinals 2–4: its span is under 4. Give it another title.
        let env = try Environment(path: t.path, options: .init(create: false))
        let spans = try env.openDatabase("phrase_spans", create: false)
        var wrong: [UInt8] = []
        for v: UInt32 in [2, 2, 2018_06_28, 6] { withUnsafeBytes(of: v.bigEndian) { wrong += $0 } }
        wrong += Array("L/9001Another title".utf8)
        try env.write { txn in try txn.put(spans, key: BigEndianKey(UInt32(4)), value: wrong) }
        #expect(
            try t.open().verify().map(\.description) == [
                "phrase_spans: the span under ordinal 4 does not match L/9001 (id 2, first ordinal 2, its date, name and title)"
            ])
        // Without it, ordinals 2–4 belong to no document.
        try env.write { txn in _ = try txn.delete(spans, key: BigEndianKey(UInt32(4))) }
        let store = try t.open()
        #expect(
            try store.verify().map(\.description) == [
                "phrase_spans: L/9001 has no span under its last ordinal 4",
                "phrase_spans: 1 spans stored, documents with paragraphs account for 2",
            ])
        expectCorrupt("the phrase index lists paragraph ordinal 4, which no document holds") {
            _ = try store.read { try $0.findQuote(QuoteQuery("we must work together")) }
        }
    }

    @Test("opening a store of another schema version fails with a clear message")
    func schemaVersion() throws {
        let t = TestStore()
        _ = try t.open()
        do {
            let env = try Environment(path: t.path, options: .init(create: false))
            let meta = try env.openDatabase("meta", create: false)
            try env.write { txn in try txn.put(meta, key: "schema_version", value: BigEndianKey(UInt32(99))) }
        }
        do {
            _ = try t.open()
            Issue.record("expected a schema mismatch")
        } catch let error as StoreError {
            #expect(error.code == .schemaMismatch)
            #expect(error.message == "store at \(t.path) has schema version 99; this build reads version \(Store.schemaVersion)")
        }
    }

    @Test("a document without paragraphs is refused")
    func emptyDocument() throws {
        let t = TestStore()
        #expect(throws: StoreError.self) { try t.open().ingest(Document(key: "empty")) }
    }

    @Test("a document whose paragraphs are not numbered 1, 2, 3, … is refused, alone or in a batch, and nothing of it is stored")
    func misnumberedParagraphs() throws {
        let t = TestStore()
        let store = try t.open()
        var doc = Fixtures.document(paragraphs: threeParagraphs)
        doc.paragraphs[2].number = 4
        do {
            try store.ingest(doc)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "paragraph 3 of L/9001 is numbered 4: paragraphs are numbered 1, 2, 3, …")
        }
        let good = Fixtures.document(symbol: "L/9002", paragraphs: ["We must work together."])
        let results = try store.ingest(batch: [(doc, nil), (good, nil)])
        #expect(results.map { (try? $0.get()) != nil } == [false, true])
        #expect(try store.read { try $0.statistics().documents } == 1)
        #expect(try store.read { try $0.findQuote(QuoteQuery("we must work together")) }.citations == ["L/9002 ¶1"])
        #expect(try store.verify() == [])
    }

    @Test("a read-only store that does not exist is reported, not created")
    func readOnlyMissing() throws {
        let t = TestStore()
        #expect(throws: StoreError.self) { try Store(path: t.path, options: .init(readOnly: true)) }
        #expect(!FileManager.default.fileExists(atPath: t.path))
    }

    @Test("a backup is a complete, consistent, readable store")
    func backup() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
        let dest = t.dir.appending("backup")
        try store.backup(to: dest)
        let copy = try Store(path: dest, options: .init(readOnly: true))
        #expect(try copy.read { try $0.paragraph(key: "L/9001", number: 3)?.text } == threeParagraphs[2])
        #expect(try copy.verify() == [])
        #expect(throws: StoreError.self) { try store.backup(to: dest) }
    }
}
