import Foundation
import Testing
import VerbatimIngest
import VerbatimModel
import VerbatimStore
import VerbatimTesting

/// The seeds, parsed, when `../shared/seeds` is present.
enum Seeds {
    static let l3282 = SeedDocuments.l3282
    static let remarks = SeedDocuments.remarks

    static func parse(_ name: String) throws -> Document { try SeedDocuments.parse(name) }

    /// A store holding both seeds.
    static func store() throws -> (TestStore, Store) {
        let t = TestStore()
        let store = try t.open()
        try SeedDocuments.ingestAll(into: store)
        return (t, store)
    }
}

@Suite("Reference grammar")
struct ReferenceGrammarTests {
    @Test("every paragraph form parses to the same reference")
    func paragraphForms() throws {
        let forms = [
            "L/3282 ¶12", "L/3282 para 12", "L/3282 para. 12", "L/3282 paragraph 12", "L/3282#12", "l/3282 ¶ 12",
            "  L/3282\u{00A0}¶12 ", "L/3282 PARA 12", "L/3282¶12",
        ]
        for f in forms {
            let r = try Reference(parsing: f)
            #expect(Folding.symbol(r.document) == "L/3282", "\(f)")
            #expect(r.paragraphs == 12...12, "\(f)")
        }
    }

    @Test("range forms with any dash and spacing parse to the same range")
    func rangeForms() throws {
        for f in ["L/3282 ¶¶3-5", "L/3282 paras 3–5", "L/3282#3-5", "L/3282 ¶¶ 3 — 5", "L/3282 paragraphs 3\u{2011}5", "L/3282 paras. 3 - 5"] {
            let r = try Reference(parsing: f)
            #expect(r.document == "L/3282", "\(f)")
            #expect(r.paragraphs == 3...5, "\(f)")
        }
        #expect(try Reference(parsing: "L/3282").paragraphs == nil)
        #expect(try Reference(parsing: "L/3282 ¶¶3-5").description == "L/3282 \u{00B6}\u{00B6}3-5")
    }

    @Test("keys without a symbol use the same grammar")
    func keys() throws {
        #expect(try Reference(parsing: "UNGDC:USA_78_2023#4") == Reference(document: "UNGDC:USA_78_2023", paragraphs: 4...4))
        #expect(
            try Reference(parsing: "S/PV.8699 (Resumption 1) ¶2")
                == Reference(document: "S/PV.8699 (Resumption 1)", paragraphs: 2...2))
        #expect(try Reference(parsing: "S/PV.8699 (Resumption 1)").paragraphs == nil)
        #expect(try Reference(parsing: "my-key.v2 para 7").document == "my-key.v2")
    }

    @Test("bad references say what is wrong")
    func errors() {
        func message(_ s: String) -> String? {
            do {
                _ = try Reference(parsing: s)
                return nil
            } catch { return error.message }
        }
        #expect(message("L/3282 ¶¶5-3") == "range 5-3 is reversed")
        #expect(message("L/3282#0") == "paragraph numbers start at 1, not 0")
        #expect(message("") == "empty reference")
        #expect(message("¶12") == "no document before the paragraph in \"¶12\"")
        #expect(message("L/3282 ¶twelve") == "\"twelve\" is not a paragraph number or a range like 3-5 in \"L/3282 ¶twelve\"")
        #expect(message("L/3282#") == "no paragraph number after the document in \"L/3282#\"")
    }

    @Test("the long citation names speaker, role, affiliation, title, symbol, date and paragraph")
    func longCitation() {
        let s = Citation.long(
            document: "L/3282", title: "Counter-Terrorism Conference", date: DocumentDate(year: 2018, month: 6, day: 28),
            paragraphs: 12...12, speaker: Speaker(name: "Sima Bahous", role: "Co-Facilitator", affiliation: "Jordan"))
        #expect(s == "Sima Bahous, Co-Facilitator (Jordan) \u{2014} \u{201C}Counter-Terrorism Conference\u{201D}, L/3282, 28 June 2018, \u{00B6}12")
        #expect(
            Citation.long(document: "X", title: nil, date: DocumentDate(year: 2016), paragraphs: 3...5, speaker: nil)
                == "X, 2016, \u{00B6}\u{00B6}3-5")
    }
}

@Suite("Citation lookup on the seeds", .enabled(if: TestPaths.hasShared, "../shared/seeds is absent"))
struct SeedLookupTests {
    @Test("every grammar form resolves to the same paragraph, and errors give their messages")
    func resolve() throws {
        let (_, store) = try Seeds.store()
        try store.read { (snap: borrowing Snapshot) throws in
            let expected = try #require(try snap.paragraph(key: "L/3282", number: 12)?.text)
            for f in ["L/3282 ¶12", "L/3282 para 12", "L/3282 para. 12", "L/3282 paragraph 12", "L/3282#12", "l/3282 ¶12"] {
                let r = try snap.resolve(f)
                #expect(r.paragraphs.map(\.text) == [expected], "\(f)")
                #expect(r.citation == "L/3282 \u{00B6}12")
                #expect(r.paragraphs[0].citation == "L/3282 \u{00B6}12")
                #expect(r.paragraphs[0].longCitation.hasSuffix("\u{201D}, L/3282, \u{00B6}12"), "\(r.paragraphs[0].longCitation)")
                #expect(r.paragraphs[0].longCitation.hasPrefix("António Guterres, Secretary"))
                // One paragraph named: the reference's long citation is the paragraph's, as
                // made from its decoded fields.
                #expect(r.longCitation == (try snap.longCitation(r.paragraphs[0])))
            }
            for f in ["L/3282 ¶¶3-5", "L/3282 paras 3–5", "L/3282#3-5"] {
                #expect(try snap.resolve(f).paragraphs.map(\.number) == [3, 4, 5])
            }
            let count = try #require(try snap.document("L/3282")).paragraphCount
            #expect(try snap.resolve("L/3282").paragraphs.count == Int(count))
            func message(_ s: String) -> String? {
                do {
                    _ = try snap.resolve(s)
                    return nil
                } catch { return "\(error)" }
            }
            #expect(message("L/9999") == "unknown document \"L/9999\"")
            #expect(message("L/9999 ¶3") == "unknown document \"L/9999\"")
            #expect(message("L/3282 ¶40") == "paragraph 40 is past the end of L/3282 (\(count) paragraphs)")
            #expect(message("L/3282 ¶¶5-3") == "range 5-3 is reversed")
        }
    }

    @Test("\"We must work together\" finds both L/3282 paragraphs, attributed to António Guterres")
    func workTogether() throws {
        let (_, store) = try Seeds.store()
        let found = try store.read { try $0.findQuote(QuoteQuery("We must work together")) }
        let l3282 = try found.matches.filter { try $0.paragraph.symbol == "L/3282" }
        #expect(l3282.count == 2)
        for m in l3282 {
            #expect(try m.paragraph.speaker.name == "António Guterres")
            #expect(try m.paragraph.longCitation.hasPrefix("António Guterres"))
            for r in m.ranges {
                let scalars = Array(try m.paragraph.text.unicodeScalars)[r]
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars)
                #expect(String(s).lowercased() == "we must work together")
            }
        }
    }

    @Test("counter-terrorism typed with an ASCII hyphen finds text written with U+2011")
    func hyphen() throws {
        let (_, store) = try Seeds.store()
        let found = try store.read { try $0.findQuote(QuoteQuery("Global counter-terrorism strategy", limit: 100)) }
        #expect(!found.matches.isEmpty)
        let m = try #require(found.matches.first)
        let text = Array(try m.paragraph.text.unicodeScalars)
        #expect(text[m.ranges[0]].contains("\u{2011}"))
    }

    @Test("near mode finds both variants of a misquotation, exact mode only the exact one")
    func near() throws {
        let (_, store) = try Seeds.store()
        let q = "Terrorism is grave and complex threat"
        let exact = try store.read { try $0.findQuote(QuoteQuery(q)) }
        let near = try store.read { try $0.findQuote(QuoteQuery(q, near: true)) }
        #expect(try exact.citations == ["L/3282 \u{00B6}14"])
        let cites = try near.citations
        #expect(Set(cites) == ["L/3282 \u{00B6}3", "L/3282 \u{00B6}14"])
        #expect(try near.matches.first?.paragraph.citation == "L/3282 \u{00B6}14")
        #expect(near.matches.map(\.distance) == [0, 1])
        let exactAgain = try store.read { try $0.findQuote(QuoteQuery("Terrorism is a grave and complex threat")) }
        #expect(try exactAgain.citations == ["L/3282 \u{00B6}3"])
    }

    @Test("filters and paging narrow quote results")
    func filters() throws {
        let (_, store) = try Seeds.store()
        try store.read { (snap: borrowing Snapshot) throws in
            #expect(try snap.findQuote(QuoteQuery("We must work together", speaker: "Guterres")).matches.count == 2)
            #expect(try snap.findQuote(QuoteQuery("We must work together", speaker: "Sima Bahous")).matches.isEmpty)
            #expect(try snap.findQuote(QuoteQuery("We must work together", document: "L/3282")).matches.count == 2)
            #expect(try snap.findQuote(QuoteQuery("We must work together", dates: 20190101...20191231)).matches.isEmpty)
            let first = try snap.findQuote(QuoteQuery("We must work together", limit: 1))
            #expect(first.matches.count == 1)
            let second = try snap.findQuote(QuoteQuery("We must work together", limit: 1, pageToken: first.nextPageToken))
            #expect(second.matches.count == 1)
            #expect(try second.matches[0].paragraph.number != first.matches[0].paragraph.number)
            #expect(throws: StoreError.self) { try snap.findQuote(QuoteQuery("together")) }
        }
    }

    @Test("cited-by GA/12035 finds the L/3282 paragraph; refs lists what L/3282 cites")
    func crossReferences() throws {
        let (_, store) = try Seeds.store()
        try store.read { (snap: borrowing Snapshot) throws in
            let cited = try snap.citedBy("ga/12035")
            #expect(cited.citing.map(\.citation) == ["L/3282 \u{00B6}4"])
            #expect(cited.document == nil)
            #expect(!cited.citing[0].longCitation.isEmpty)
            let refs = try snap.references(ofDocument: "L/3282")
            let ga = try #require(refs.first { $0.symbol == "GA/12035" })
            #expect(ga.paragraphs == [4])
            #expect(refs.contains { $0.symbol == "GA/12036" })
        }
    }

    @Test("speaker queries: paragraphs with filters, and quotations inside other paragraphs")
    func speakers() throws {
        let (_, store) = try Seeds.store()
        try store.read { (snap: borrowing Snapshot) throws in
            let g = try #require(try snap.findSpeakers("Antonio Guterres").first)
            let all = try snap.paragraphs(bySpeaker: g.id)
            #expect(!all.isEmpty)
            #expect(try snap.paragraphs(bySpeaker: g.id, document: "L/3282").count == all.count)
            #expect(try snap.paragraphs(bySpeaker: g.id, dates: 20170101...20171231).isEmpty)
            #expect(try snap.paragraphs(bySpeaker: g.id, limit: 2, after: 1).map(\.number) == Array(all.dropFirst().prefix(2)).map(\.number))
            let quotes = try snap.quotations(bySpeaker: g.id)
            #expect(quotes.contains { $0.paragraph.number == 2 && $0.text.hasPrefix("The top priority is that we must work together") })
        }
    }
}

@Suite("Phrase index")
struct PhraseIndexTests {
    @Test("a match's long citation is the one every other answer gives, for any speaker, role, title and date")
    func matchLongCitations() throws {
        let speakers = [
            Speaker(name: "Ana Pérez", role: "Rapporteur", affiliation: "Chile"),
            Speaker(name: "Mark Mills", role: "Moderator"),  // role and name start alike
            Speaker(name: "The President", role: "The President", isRoleOnly: true),
            Speaker(name: "Émile Noël", role: "Émissaire", affiliation: " Côte d\u{2019}Ivoire "),
            Speaker(name: "Li Wei", role: "\u{00A0}Chair\u{00A0}", affiliation: "China"),
            Speaker(name: "Zoë Ash", affiliation: "\u{201C}Group\u{201D}"),
        ]
        let titles: [String?] = [nil, "Plain title", " \u{201C}Quoted\u{201D} title ", "Titre é"]
        let dates: [DocumentDate?] = [nil, DocumentDate(year: 2018), DocumentDate(year: 2018, month: 6), DocumentDate(year: 2018, month: 6, day: 28)]
        let t = TestStore()
        let store = try t.open()
        for (i, title) in titles.enumerated() {
            for (j, date) in dates.enumerated() {
                let key = "K/\(i)/\(j)"
                let paragraphs = (0...speakers.count).map { n in
                    Paragraph(number: n + 1, text: "shared words here \(n)", speaker: n < speakers.count ? n : nil)
                }
                _ = try store.ingest(
                    Document(key: key, symbol: j % 2 == 0 ? key : nil, title: title, date: date, paragraphs: paragraphs, speakers: speakers))
            }
        }
        try store.read { s in
            let found = try s.findQuote(QuoteQuery("shared words here", limit: 1000))
            #expect(found.matches.count == titles.count * dates.count * (speakers.count + 1))
            for m in found.matches {
                var p = try m.paragraph
                p.longCitation = ""
                #expect(try m.paragraph.longCitation == (try s.longCitation(p)))
            }
        }
    }

    @Test("replace and delete leave no stale phrase-index entry")
    func stale() throws {
        let t = TestStore()
        let store = try t.open()
        try store.ingest(Fixtures.document(paragraphs: threeParagraphs))
        try store.ingest(Fixtures.document(symbol: "L/9002", paragraphs: ["Another document entirely, we must work together."]))
        #expect(try store.verify().isEmpty)
        #expect(try store.read { try $0.findQuote(QuoteQuery("opening words")) }.matches.count == 1)
        // Replace with other text: the old words are gone, the new ones found.
        try store.ingest(Fixtures.document(paragraphs: ["Closing words by the President.", "Nothing more."]))
        #expect(try store.verify().isEmpty)
        try store.read { (snap: borrowing Snapshot) throws in
            #expect(try snap.findQuote(QuoteQuery("opening words")).matches.isEmpty)
            #expect(try snap.findQuote(QuoteQuery("closing words")).citations == ["L/9001 \u{00B6}1"])
            #expect(try snap.findQuote(QuoteQuery("must work together")).citations == ["L/9002 \u{00B6}1"])
        }
        try store.delete("L/9002")
        #expect(try store.verify().isEmpty)
        #expect(try store.read { try $0.findQuote(QuoteQuery("must work together")) }.matches.isEmpty)
        try store.delete("L/9001")
        #expect(try store.verify().isEmpty)
        let stats = try store.read { try $0.statistics() }
        #expect(stats.databaseBytes["phrases"] == 0)
    }

    @Test("a batch stores each document whole or not at all")
    func batch() throws {
        let t = TestStore()
        let store = try t.open()
        let a = Fixtures.document(symbol: "L/1", paragraphs: ["Alpha beta gamma."])
        let empty = Document(key: "empty")
        let b = Fixtures.document(symbol: "L/2", paragraphs: ["Delta epsilon zeta."])
        let results = try store.ingest(batch: [(a, nil), (empty, nil), (b, nil)])
        #expect(results.count == 3)
        #expect((try? results[0].get()) == .added(1))
        #expect((try? results[1].get()) == nil)
        #expect((try? results[2].get()) == .added(2))
        #expect(try store.verify().isEmpty)
        #expect(try store.read { try $0.findQuote(QuoteQuery("epsilon zeta")) }.matches.count == 1)
    }

    @Test("offsets are Unicode scalar offsets into the stored text")
    func offsets() throws {
        let t = TestStore()
        let store = try t.open()
        let text = "Michèle Coninsx said “Counter\u{2011}Terrorism  works”\u{00A0}here."
        try store.ingest(Fixtures.document(paragraphs: [text]))
        let m = try #require(try store.read { try $0.findQuote(QuoteQuery("counter-terrorism works")) }.matches.first)
        let scalars = Array(text.unicodeScalars)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[m.ranges[0]])
        #expect(String(s) == "Counter\u{2011}Terrorism  works")
        // Word boundaries: part of a word is not a match.
        #expect(try store.read { try $0.findQuote(QuoteQuery("michèle conins")) }.matches.isEmpty)
        #expect(try store.read { try $0.findQuote(QuoteQuery("MICHÈLE CONINSX")) }.matches.count == 1)
    }
}

@Suite("Quote lookup on the corpus", .enabled(if: TestPaths.hasShared, "../shared is absent"))
struct QuotePropertyTests {
    /// The sample folder, the seeds and the first 150 General Debate statements.
    static func corpus() throws -> [Document] {
        var docs: [Document] = []
        let sample = TestPaths.shared + "/corpus/sample"
        for name in try FileManager.default.contentsOfDirectory(atPath: sample).sorted() where name.hasSuffix(".txt") {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: sample + "/" + name)))
            docs.append(try DocumentParser.parse(bytes: bytes, metadata: SourceMetadata(fileName: name)))
        }
        docs.append(try Seeds.parse(Seeds.l3282))
        docs.append(try Seeds.parse(Seeds.remarks))
        let gz = TestPaths.shared + "/corpus/bulk/ungdc-1946-2024.jsonl.gz"
        if FileManager.default.fileExists(atPath: gz) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "gzip -dc '\(gz)' | sed -n '1000,1150p'"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            for (i, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
                let (text, meta) = try JSONLinesReader.parse(line: line, lineNumber: i + 1)
                docs.append(try DocumentParser.parse(text: text, metadata: meta))
            }
        }
        var seen = Set<String>()
        return docs.filter { seen.insert(Folding.symbol($0.key)).inserted && !$0.paragraphs.isEmpty }
    }

    @Test("random 3-12-word substrings are found in their paragraph, and every result contains them")
    func randomSubstrings() throws {
        let t = TestStore()
        let store = try t.open()
        let docs = try Self.corpus()
        let results = try store.ingest(batch: docs.map { ($0, nil) })
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        #expect(try store.verify().isEmpty)
        var rng = SplitMix(seed: 20180628)
        let paragraphs = docs.flatMap { d in d.paragraphs.map { (d, $0) } }.filter { $0.1.text.split(separator: " ").count >= 12 }
        var checked = 0
        for _ in 0..<2000 {
            let (doc, p) = paragraphs[Int(rng.next() % UInt64(paragraphs.count))]
            let words = p.text.split(whereSeparator: { $0.isWhitespace })
            let n = 3 + Int(rng.next() % 10)
            guard words.count >= n else { continue }
            let start = Int(rng.next() % UInt64(words.count - n + 1))
            let quote = words[start..<(start + n)].joined(separator: " ")
            guard PhraseText(quote).words.count >= 2 else { continue }
            var general: [String] = []
            let found = try store.read { s in
                let r = try s.findQuote(QuoteQuery(quote, limit: 1000))
                // Each match's long citation as every other answer makes it.
                general = try r.matches.map { m in
                    var p = try m.paragraph
                    p.longCitation = ""
                    return try s.longCitation(p)
                }
                return r
            }
            #expect(try found.longCitations == general, "\(quote)")
            let cite = doc.shortCitation(paragraph: p.number)
            #expect(try found.matches.contains { try $0.paragraph.citation == cite }, "\(quote) not found in \(cite)")
            let needle = Folding.text(Snapshot.trimQuotation(quote))
            for m in found.matches {
                #expect(try Folding.text(m.paragraph.text).contains(needle), "\((try? m.paragraph.citation) ?? "?") does not contain \(quote)")
            }
            checked += 1
        }
        #expect(checked > 1500)
    }
}

/// A small deterministic random number generator (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension QuoteResults {
    /// The matches' short citations, each decoded from its encoded paragraph.
    var citations: [String] { get throws { try matches.map { try $0.paragraph.citation } } }
    /// The matches' long citations, each decoded from its encoded paragraph.
    var longCitations: [String] { get throws { try matches.map { try $0.paragraph.longCitation } } }
}
