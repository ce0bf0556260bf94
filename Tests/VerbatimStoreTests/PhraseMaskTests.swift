import Foundation
import Testing
import VerbatimModel
import VerbatimTesting

@testable import VerbatimStore

@Suite("Phrase index masks: gaps and the word after each pair")
struct PhraseMaskTests {
    static let texts = [
        "Michèle Coninsx said “Counter\u{2011}Terrorism  works”\u{00A0}here.",
        "Don’t stop: it’s the “United Nations” — and the UNITED  NATIONS.",
        "of the Programme — of the Programme of the Programme -- of the Programme,— end",
        "the quick brown fox jumps over the lazy dog; the quick brown cat, the quick brown fox.",
        "quick brown fox",
        "aaa aa aaa aaaa; the the the the; a b a b a b c.",
    ]

    static func store(_ paragraphs: [String]) throws -> (TestStore, Store) {
        let t = TestStore()
        let store = try t.open()
        _ = try store.ingest(Fixtures.document(symbol: "L/7000", paragraphs: paragraphs))
        return (t, store)
    }

    /// What the index holds for `quote` in `store`, and its exact lookup.
    static func lookup(_ store: Store, _ quote: String) throws -> (plan: QuotePlan, found: QuoteResults) {
        try store.read { (try $0.quotePlan(quote), try $0.findQuote(QuoteQuery(quote))) }
    }

    static func hash(_ word: String) -> UInt64 { PhraseText(word).wordHashes[0] }

    @Test("every quotation cut from the texts, at any characters, finds exactly the paragraphs whose folded text holds it")
    func complete() throws {
        let (t, store) = try Self.store(Self.texts)
        _ = t
        let folded = Self.texts.map { PhraseText($0) }
        var looked = 0
        for text in Self.texts {
            let scalars = Array(text.unicodeScalars)
            for start in 0..<scalars.count {
                for end in (start + 1)...min(scalars.count, start + 40) {
                    let quote = String(String.UnicodeScalarView(scalars[start..<end]))
                    let needle = PhraseText(Snapshot.trimQuotation(quote))
                    guard needle.words.count >= 2 else { continue }
                    let expected = folded.indices.filter { !folded[$0].occurrences(of: needle).isEmpty }.map {
                        "L/7000 \u{00B6}\($0 + 1)"
                    }
                    let found = try store.read { try $0.findQuote(QuoteQuery(quote, limit: 100)) }
                    #expect(try found.citations == expected, "\(quote)")
                    looked += 1
                }
            }
        }
        #expect(looked > 1000)
    }

    @Test("punctuation after the last word rules out paragraphs where a space follows it")
    func trailingPunctuation() throws {
        let plain = (1...9).map { "Paragraph \($0): of the Programme and more." }
        let (t, store) = try Self.store(plain + ["Paragraph 10: of the Programme \u{2014} and more."])
        _ = t
        let (plan, found) = try Self.lookup(store, "of the Programme \u{2014}")
        #expect(plan.candidates == 10)
        #expect(plan.fitting == 1)
        #expect(try found.citations == ["L/7000 \u{00B6}10"])
        #expect(found.candidatesChecked == 1)
        // At the end of a paragraph, what follows the last word is not a space either.
        let (t2, store2) = try Self.store(["It ends with the Programme", "It ends with the Programme."])
        _ = t2
        let atEnd = try store2.read { try $0.findQuote(QuoteQuery("the Programme.")) }
        #expect(try atEnd.citations == ["L/7000 \u{00B6}2"])
    }

    @Test("the class of the word after a pair rules out paragraphs that hold the pairs apart")
    func nextWord() throws {
        // Words of another class than "fox" after "quick brown".
        let others = ["cat", "dog", "hen", "owl", "elk", "yak", "ram", "ant"].filter {
            PhraseIndex.next(Self.hash($0), plainBefore: true) != PhraseIndex.next(Self.hash("fox"), plainBefore: true)
        }
        try #require(others.count >= 2)
        let apart = others.map { "the quick brown \($0) saw a brown fox" }
        let (t, store) = try Self.store(apart + ["the quick brown fox"])
        _ = t
        let (plan, found) = try Self.lookup(store, "quick brown fox")
        #expect(plan.candidates == apart.count + 1)
        #expect(plan.fitting == 1)
        #expect(try found.citations == ["L/7000 \u{00B6}\(apart.count + 1)"])
    }

    @Test("the word after a pair counts with the gap before it: after one space and after punctuation it hashes apart")
    func nextWordAfterPunctuation() throws {
        let fox = PhraseIndex.next(Self.hash("fox"), plainBefore: false)
        // "quick brown" followed by "fox" after one space and by another word after ". ":
        // without the gap in the hash, those would fit "quick brown. fox".
        let others = ["cat", "dog", "hen", "owl", "elk", "yak", "ram", "ant"].filter {
            (PhraseIndex.next(Self.hash("fox"), plainBefore: true) | PhraseIndex.next(Self.hash($0), plainBefore: false)) & fox != fox
        }
        try #require(others.count >= 2)
        let apart = others.map { "the quick brown fox, the quick brown. \($0), and brown. fox" }
        let (t, store) = try Self.store(apart + ["the quick brown. fox"])
        _ = t
        let (plan, found) = try Self.lookup(store, "quick brown. fox")
        #expect(plan.candidates == apart.count + 1)
        #expect(plan.fitting == 1)
        #expect(try found.citations == ["L/7000 \u{00B6}\(apart.count + 1)"])
    }

    @Test("a pair ending with \"the\" is looked up by the class of the word after it: its bits alike, another class rules a paragraph out")
    func splitPairs() throws {
        let words = [
            "world", "people", "nation", "council", "charter", "peace", "war", "rights", "law", "union", "state", "region",
            "future", "past", "crisis", "conflict", "treaty", "assembly", "court", "border", "ocean", "climate", "earth",
            "children", "women", "youth", "economy", "market", "debt", "trade", "health", "water", "food", "energy",
        ]
        // Two words whose bits after a pair are the same, of different classes.
        var pair: (String, String)? = nil
        search: for a in words {
            for b in words where a != b {
                if PhraseIndex.next(Self.hash(a), plainBefore: true) == PhraseIndex.next(Self.hash(b), plainBefore: true)
                    && PhraseIndex.nextClass(Self.hash(a)) != PhraseIndex.nextClass(Self.hash(b))
                {
                    pair = (a, b)
                    break search
                }
            }
        }
        let (a, b) = try #require(pair)
        // "of the" followed by `a`, and "the" `b` elsewhere: by the pairs and their bits, a
        // candidate for "of the b"; not in the bucket of "of the" and b's class.
        let (t, store) = try Self.store(["we speak of the \(a) and the \(b)", "we speak of the \(b)"])
        _ = t
        let (plan, found) = try Self.lookup(store, "of the \(b)")
        #expect(plan.candidates == 2)
        #expect(plan.fitting == 1)
        #expect(try found.citations == ["L/7000 \u{00B6}2"])
        #expect(found.candidatesChecked == 1)
        // As the last pair of a quotation, or of a paragraph, it is in its own bucket.
        let end = try store.read { try $0.findQuote(QuoteQuery("speak of the")) }
        #expect(end.matches.count == 2)
        let h = PhraseText("made of the \(a)").wordHashes
        let entries = Set(PhraseIndex.entries(PhraseText("made of the \(a)")).map { UInt32($0 >> 32) })
        #expect(entries.contains(PhraseIndex.bucket(h[1], h[2])))
        #expect(entries.contains(PhraseIndex.bucket(h[1], h[2], next: PhraseIndex.nextClass(h[3]))))
        let last = Set(PhraseIndex.entries(PhraseText("made of the")).map { UInt32($0 >> 32) })
        #expect(last.count == 2)
    }
}
