import Foundation
import Testing
import VerbatimModel
import VerbatimStore
import VerbatimTesting

@Suite("Quote lookup: paging and candidate checks")
struct QuotePagingTests {
    /// Paragraph `i` of the paging store: the quotation, the quotation's word pairs but
    /// not the quotation (a comma, another order), or other words.
    static func text(_ i: Int) -> String {
        switch (i % 3, i % 7) {
        case (0, _), (_, 5): "Paragraph \(i): the quick brown fox jumps over the lazy dog."
        case (1, 0), (1, 3): "Paragraph \(i): the quick, brown fox did not jump."
        case (1, _): "Paragraph \(i): quick brown and the quick grey, then a brown fox."
        default: "Paragraph \(i): nothing to see in this one."
        }
    }

    /// 6 documents of 400 paragraphs: lists of 2,400 ordinals (several pages of values).
    static func store() throws -> (TestStore, Store) {
        let t = TestStore()
        let store = try t.open()
        let docs = (0..<6).map { d in
            Fixtures.document(symbol: "L/\(8000 + d)", paragraphs: (0..<400).map { text(d * 400 + $0) })
        }
        let results = try store.ingest(batch: docs.map { ($0, nil) })
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        return (t, store)
    }

    static func expected(_ quote: String, documents: ClosedRange<Int> = 0...5) -> [String] {
        let needle = Folding.text(quote)
        return documents.flatMap { d in
            (0..<400).compactMap { n in
                Folding.text(text(d * 400 + n)).contains(needle) ? "L/\(8000 + d) \u{00B6}\(n + 1)" : nil
            }
        }
    }

    @Test("pages of an exact lookup, concatenated, equal the whole result: none missing, none twice")
    func pagesConcatenate() throws {
        let (t, store) = try Self.store()
        _ = t
        for quote in ["the quick brown fox", "quick brown fox jumps over", "the quick, brown fox"] {
            let all = Self.expected(quote)
            #expect(all.count > 100)
            for limit in [1, 7, 20, 333, 1000] {
                var pages: [String] = []
                var token: String? = nil
                var count = 0
                repeat {
                    let page = try store.read { try $0.findQuote(QuoteQuery(quote, limit: limit, pageToken: token)) }
                    #expect(page.matches.count <= limit)
                    pages += page.matches.map(\.paragraph.citation)
                    token = page.nextPageToken
                    count += 1
                } while token != nil && count < 5000
                #expect(pages == all, "\(quote), limit \(limit)")
                #expect(Set(pages).count == pages.count)
            }
        }
    }

    @Test("paging within a document filter stays within the document")
    func pagesInDocument() throws {
        let (t, store) = try Self.store()
        _ = t
        var pages: [String] = []
        var token: String? = nil
        repeat {
            let page = try store.read {
                try $0.findQuote(QuoteQuery("the quick brown fox", document: "L/8003", limit: 9, pageToken: token))
            }
            pages += page.matches.map(\.paragraph.citation)
            token = page.nextPageToken
        } while token != nil
        #expect(pages == Self.expected("the quick brown fox", documents: 3...3))
    }

    @Test("the byte-level check agrees with the folded text on every window of tricky text")
    func quickCheckAgrees() throws {
        let texts = [
            "Michèle Coninsx said “Counter\u{2011}Terrorism  works”\u{00A0}here.",
            "  Leading spaces,\ttabs\nand new lines; İstanbul and the \u{212A}elvin sign.",
            "Don’t stop: it’s the “United Nations” — and the UNITED  NATIONS.",
            "日本 の 国連 大使 said 東京 is 大きい; emoji 🙂 here 🙂 there.",
            "ǅungla, ß, ﬁnance and Ⅻ, numbers 1,000 and 2.5 per cent.",
        ]
        var buffer: [UInt32] = []
        for text in texts {
            let folded = PhraseText(text)
            let words = text.split(whereSeparator: { $0.isWhitespace })
            for start in 0..<words.count {
                for end in (start + 1)...min(words.count, start + 5) {
                    let quote = words[start..<end].joined(separator: " ")
                    let needle = PhraseText(Snapshot.trimQuotation(quote))
                    guard !needle.scalars.isEmpty else { continue }
                    let slow = !folded.occurrences(of: needle).isEmpty
                    let fast = Array(text.precomposed.utf8).withUnsafeBytes {
                        PhraseText.contains(needle, utf8: $0, buffer: &buffer)
                    }
                    #expect(fast == slow, "\(quote) in \(text)")
                    let pattern = PhraseText.bytePattern(needle)
                    let mayPattern = Array(text.precomposed.utf8).withUnsafeBytes {
                        PhraseText.mayContain(pattern: pattern, utf8: $0)
                    }
                    #expect(mayPattern || !slow, "\(quote) in \(text): pattern \(pattern)")
                    #expect(buffer == folded.scalars)
                }
            }
        }
        #expect(PhraseText.bytePattern(PhraseText("Don’t stop-gap “now”")) == Array("don".utf8) + [0] + Array("t".utf8) + [0] + Array("stop".utf8) + [0] + Array("gap".utf8) + [0] + Array("now".utf8) + [0])
        let pattern = PhraseText.bytePattern(PhraseText("the problem of our"))
        for (text, may) in [
            ("The  problem\u{00A0}of OUR time", true), ("the problem of your", false), ("the problem, of our", false),
            ("the problem of their and our", false), ("the problem of İ our", true),
        ] {
            #expect(Array(text.utf8).withUnsafeBytes { PhraseText.mayContain(pattern: pattern, utf8: $0) } == may, "\(text)")
        }
        // Not UTF-8: no answer, so the caller checks the slow way.
        let bad: [UInt8] = [0x61, 0xFF, 0x62]
        #expect(bad.withUnsafeBytes { PhraseText.contains(PhraseText("a b"), utf8: $0, buffer: &buffer) } == nil)
    }

    @Test("only U+0130 and U+212A fold to ASCII letters, digits or punctuation (what bytePattern relies on)")
    func nonASCIIFolds() {
        var found: [UInt32] = []
        for v in UInt32(0x80)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            var out = String.UnicodeScalarView()
            guard Folding.foldScalar(s, into: &out) else { continue }
            if out.contains(where: { $0.value < 0x80 && $0 != "'" && $0 != "-" }) { found.append(v) }
        }
        #expect(found == [0x130, 0x212A])
    }
}
