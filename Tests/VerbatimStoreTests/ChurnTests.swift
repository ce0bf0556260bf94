import Testing
import VerbatimModel
import VerbatimStore
import VerbatimTesting

/// Random adds, replaces, unchanged re-ingests, batches and deletes on a handful of keys,
/// checked after every step against a plain model of what was ingested: what the store
/// holds, counts, quote lookup, cited-by and `verify`.
@Suite("Churn")
struct ChurnTests {
    /// One document as the model keeps it: its paragraphs' words and cited symbols.
    struct Entry: Equatable {
        var words: [[String]]
        var cited: [Int: [String]]
        var texts: [String] { words.map { $0.joined(separator: " ") + "." } }
        func document(_ key: String) -> Document { Fixtures.document(symbol: key, paragraphs: texts, cited: cited) }
    }

    static let vocabulary = [
        "peace", "security", "council", "we", "must", "work", "together", "the", "of", "all",
        "nations", "people", "development", "rights", "human", "world", "and", "to", "in", "for",
    ]
    static let keys = (1...6).map { "L/\($0)" }
    static let symbols = ["GA/12035", "SG/SM/19101", "S/2019/123"]

    static func entry(_ r: inout SplitMix) -> Entry {
        let count = Int.random(in: 1...5, using: &r)
        var e = Entry(words: [], cited: [:])
        for n in 1...count {
            e.words.append((0..<Int.random(in: 4...12, using: &r)).map { _ in vocabulary.randomElement(using: &r)! })
            if Bool.random(using: &r) { e.cited[n] = [symbols.randomElement(using: &r)!] }
        }
        return e
    }

    @Test("every step of random adds, replaces, re-ingests, batches and deletes leaves the store equal to a model of it")
    func churn() throws {
        let t = TestStore()
        let store = try t.open()
        var r = SplitMix(seed: 20_261_203)
        var model: [String: Entry] = [:]
        for step in 0..<80 {
            let roll = Int.random(in: 0..<100, using: &r)
            let key = Self.keys.randomElement(using: &r)!
            if roll < 45 {
                let e = Self.entry(&r)
                let outcome = try store.ingest(e.document(key))
                switch (outcome, model[key]) {
                case (.added, nil): break
                case (.replaced, let old?): #expect(old != e, "step \(step)")
                case (.unchanged, let old?): #expect(old == e, "step \(step)")
                default: Issue.record("step \(step): \(outcome) for \(key), \(model[key] == nil ? "absent" : "present")")
                }
                model[key] = e
            } else if roll < 60, let e = model[key] {
                guard case .unchanged = try store.ingest(e.document(key)) else {
                    Issue.record("step \(step): re-ingesting \(key) unchanged changed it")
                    continue
                }
            } else if roll < 80 {
                let other = Self.keys.filter { $0 != key }.randomElement(using: &r)!
                let (a, b) = (Self.entry(&r), Self.entry(&r))
                let results = try store.ingest(batch: [(a.document(key), nil), (b.document(other), nil)])
                #expect(results.count == 2 && results.allSatisfy { (try? $0.get()) != nil }, "step \(step)")
                model[key] = a
                model[other] = b
            } else if model[key] != nil {
                try store.delete(key)
                model[key] = nil
            }
            try check(store, model, step: step, random: &r)
        }
        #expect(model.count > 1)
    }

    private func check(_ store: Store, _ model: [String: Entry], step: Int, random r: inout SplitMix) throws {
        #expect(try store.verify().map(\.description) == [], "step \(step)")
        let stats = try store.read { try $0.statistics() }
        #expect(stats.documents == model.count, "step \(step)")
        #expect(stats.paragraphs == model.values.reduce(0) { $0 + $1.words.count }, "step \(step)")
        try store.read { (snap: borrowing Snapshot) throws in
            for key in Self.keys {
                if let e = model[key] {
                    #expect(try snap.paragraphs(key: key).map(\.text) == e.texts, "step \(step) \(key)")
                } else {
                    #expect(try snap.document(key) == nil, "step \(step) \(key)")
                }
            }
        }
        // Where the model's paragraphs hold a quotation of 2-4 words, each with word boundaries.
        let paragraphs = model.sorted { $0.key < $1.key }.flatMap { key, e in
            e.words.enumerated().map { i, w in (citation: "\(key) \u{00B6}\(i + 1)", padded: " " + w.joined(separator: " ") + " ") }
        }
        for _ in 0..<3 {
            guard let (key, e) = model.randomElement(using: &r), let words = e.words.randomElement(using: &r) else { break }
            let length = Int.random(in: 2...min(4, words.count), using: &r)
            let start = Int.random(in: 0...(words.count - length), using: &r)
            let quote = words[start..<(start + length)].joined(separator: " ")
            let expected = Set(paragraphs.filter { $0.padded.contains(" \(quote) ") }.map(\.citation))
            let found = try store.read { try $0.findQuote(QuoteQuery(quote, limit: 1000)) }
            #expect(try Set(found.citations) == expected, "step \(step): \"\(quote)\" from \(key)")
            #expect(found.matches.count == expected.count, "step \(step): \"\(quote)\" answered twice")
        }
        for symbol in Self.symbols {
            var expected: Set<String> = []
            for (key, e) in model {
                for (n, cited) in e.cited where cited.contains(symbol) { expected.insert("\(key) \u{00B6}\(n)") }
            }
            let found = try store.read { try $0.citedBy(symbol) }
            #expect(Set(found.citing.map(\.citation)) == expected, "step \(step): cited-by \(symbol)")
        }
    }
}
