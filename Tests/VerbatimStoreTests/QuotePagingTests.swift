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
                    pages += try page.citations
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
            pages += try page.citations
            token = page.nextPageToken
        } while token != nil
        #expect(pages == Self.expected("the quick brown fox", documents: 3...3))
    }

    /// What exact lookup reports for `needle` in `text`: the folded text's occurrences, as source ranges.
    static func slowRanges(_ needle: PhraseText, in text: String) -> [Range<Int>] {
        let folded = PhraseText(text)
        return folded.occurrences(of: needle).map { folded.sourceRange($0) }
    }

    static func fastRanges(_ matcher: PhraseMatcher, in text: String) -> [Range<Int>]? {
        var out: [Range<Int>] = []
        let valid = Array(text.precomposed.utf8).withUnsafeBytes { utf8 in
            matcher.matches(in: utf8) { r in
                out.append(r)
                return true
            }
        }
        return valid ? out : nil
    }

    static let trickyTexts = [
        "Michèle Coninsx said “Counter\u{2011}Terrorism  works”\u{00A0}here.",
        "  Leading spaces,\ttabs\nand new lines; İstanbul and the \u{212A}elvin sign.",
        "Don’t stop: it’s the “United Nations” — and the UNITED  NATIONS.",
        "日本 の 国連 大使 said 東京 is 大きい; emoji 🙂 here 🙂 there.",
        "ǅungla, ß, ﬁnance and Ⅻ, numbers 1,000 and 2.5 per cent.",
        "of the Programme — of the Programme of the Programme -- of the Programme,— end",
        "aaa aa aaa aaaa; the the the; İİ İ i̇ KK \u{212A}\u{212A} k.",
    ]

    @Test("the byte-level matcher finds exactly the folded text's occurrences, with the same offsets")
    func matcherAgrees() throws {
        for text in Self.trickyTexts {
            let words = text.split(whereSeparator: { $0.isWhitespace })
            var quotes: [String] = []
            for start in 0..<words.count {
                for end in (start + 1)...min(words.count, start + 5) {
                    quotes.append(words[start..<end].joined(separator: " "))
                }
            }
            // Quotations cut anywhere, not only at spaces: inside words, at punctuation.
            let scalars = Array(text.unicodeScalars)
            for start in 0..<scalars.count {
                for length in [1, 2, 3, 7, 12] where start + length <= scalars.count {
                    quotes.append(String(String.UnicodeScalarView(scalars[start..<(start + length)])))
                }
            }
            for quote in quotes {
                let needle = PhraseText(Snapshot.trimQuotation(quote))
                guard let matcher = PhraseMatcher(needle) else { continue }
                #expect(Self.fastRanges(matcher, in: text) == Self.slowRanges(needle, in: text), "\(quote) in \(text)")
            }
        }
    }

    @Test("the byte-level matcher agrees on random text of spaces, punctuation, dashes, quotes and non-ASCII letters")
    func matcherAgreesOnRandomText() throws {
        let alphabet: [Unicode.Scalar] = [
            "a", "b", "A", "B", "i", "I", "k", "K", " ", " ", "\t", "\n", ",", ".", "-", "'", "\"", "`", "\u{2014}",
            "\u{2011}", "\u{201C}", "\u{2019}", "\u{00A0}", "\u{3000}", "é", "É", "\u{0130}", "\u{212A}", "\u{0307}", "ß",
            "\u{1F642}", "1", "\u{0}", "\u{1F}",
        ]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let length = Int.random(in: 0...24, using: &rng)
            let text = String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &rng)! }))
            let scalars = Array(text.unicodeScalars)
            for _ in 0..<6 {
                // A piece of the text, or of another random text.
                let quote: String
                if !scalars.isEmpty && Bool.random(using: &rng) {
                    let a = Int.random(in: 0..<scalars.count, using: &rng)
                    let b = Int.random(in: (a + 1)...min(scalars.count, a + 8), using: &rng)
                    quote = String(String.UnicodeScalarView(scalars[a..<b]))
                } else {
                    quote = String(String.UnicodeScalarView((0..<Int.random(in: 1...4, using: &rng)).map { _ in
                        alphabet.randomElement(using: &rng)!
                    }))
                }
                let needle = PhraseText(Snapshot.trimQuotation(quote))
                guard let matcher = PhraseMatcher(needle) else { continue }
                let fast = Self.fastRanges(matcher, in: text)
                let slow = Self.slowRanges(needle, in: text.precomposed)
                #expect(fast == slow, "\(quote.unicodeScalars.map { $0.value }) in \(text.unicodeScalars.map { $0.value })")
            }
        }
    }

    @Test("needles whose scanned word starts with i or k are found in text the scan reads in blocks, next to U+0130 and U+212A (which NFC makes K)")
    func leadBytesInLongText() {
        let filler = String(repeating: "words of filler text, ", count: 4)
        let text = filler + "the \u{212A}ingdom of İnvolvement; the kingdom of involvement " + filler
        for (quote, count) in [
            ("kingdom", 2), ("the kingdom", 2), ("TEXT, the KINGDOM of", 1), ("the kingdom of involvement", 1),
            ("involvement", 1), ("of involvement the", 0), ("kingdom of i̇nvolvement", 1),
        ] {
            let needle = PhraseText(Snapshot.trimQuotation(quote))
            let slow = Self.slowRanges(needle, in: text)
            #expect(slow.count == count, "\(quote)")
            #expect(PhraseMatcher(needle).map { Self.fastRanges($0, in: text) } == slow, "\(quote)")
        }
    }

    @Test("the byte-level matcher agrees on random text of words, where it looks for a later, longer word first")
    func matcherAgreesOnRandomWords() throws {
        let words = [
            "to", "the", "The", "of", "peace", "PEACE", "process", "Process", "procès", "İstanbul", "\u{212A}elvin",
            "kelvin", "pro", "cess", "don’t", "ab1,", "(b)", "États", "per\u{00AD}cent", "involvement", "İnvolvement",
            "Kingdom", "\u{212A}ingdom",
        ]
        let gaps = [" ", " ", " ", "  ", "\u{00A0}", "\t", ", ", " — ", "-", "’", "", "\u{2003}\n"]
        var rng = SystemRandomNumberGenerator()
        // Short texts, and long ones, which the byte scan reads 16 and 32 bytes at a time.
        for round in 0..<3300 {
            var parts: [String] = []
            for k in 0..<(round < 3000 ? Int.random(in: 1...10, using: &rng) : Int.random(in: 20...150, using: &rng)) {
                if k > 0 { parts.append(gaps.randomElement(using: &rng)!) }
                parts.append(words.randomElement(using: &rng)!)
            }
            let text = parts.joined()
            for _ in 0..<4 {
                // A run of the text's own words and gaps, or random words.
                let quote: String
                if Bool.random(using: &rng) {
                    let a = Int.random(in: 0..<parts.count, using: &rng)
                    let b = Int.random(in: (a + 1)...parts.count, using: &rng)
                    quote = parts[a..<b].joined()
                } else {
                    quote = (0..<Int.random(in: 1...4, using: &rng)).map { _ in words.randomElement(using: &rng)! }
                        .joined(separator: gaps.randomElement(using: &rng)!)
                }
                let needle = PhraseText(Snapshot.trimQuotation(quote))
                guard let matcher = PhraseMatcher(needle) else { continue }
                #expect(Self.fastRanges(matcher, in: text) == Self.slowRanges(needle, in: text.precomposed), "\(quote) in \(text)")
            }
        }
    }

    @Test("a quotation ending in a dash is not found where the text has a space or other punctuation there")
    func trailingPunctuation() throws {
        let needle = PhraseText("of the Programme —")
        let matcher = try #require(PhraseMatcher(needle))
        #expect(Self.fastRanges(matcher, in: "the work of the Programme, and of the Programme") == [])
        #expect(Self.fastRanges(matcher, in: "the work of the Programme and more") == [])
        #expect(Self.fastRanges(matcher, in: "the work of the  PROGRAMME\u{00A0}\u{2013} and") == [9..<28])
        #expect(Self.fastRanges(matcher, in: "of the Programme -- of the Programme-") == [0..<18])
        // Not UTF-8 where it is read: no answer, so the caller folds the text the slow way.
        let bad: [UInt8] = Array("of the Programme ".utf8) + [0xFF]
        #expect(bad.withUnsafeBytes { matcher.matches(in: $0) { _ in true } } == false)
        #expect(PhraseMatcher(PhraseText("")) == nil)
    }

    @Test("only U+0130 and U+212A fold to ASCII letters, digits or punctuation, and their first bytes are the scan's leads (what PhraseMatcher relies on)")
    func nonASCIIFolds() {
        var found: [UInt32] = []
        for v in UInt32(0x80)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            var out = String.UnicodeScalarView()
            guard Folding.foldScalar(s, into: &out) else { continue }
            if out.contains(where: { $0.value < 0x80 && $0 != "'" && $0 != "-" }) { found.append(v) }
        }
        #expect(found == [0x130, 0x212A])
        #expect(found.map { Array(String(Unicode.Scalar($0)!).utf8)[0] } == [0xC4, 0xE2])
    }
}
