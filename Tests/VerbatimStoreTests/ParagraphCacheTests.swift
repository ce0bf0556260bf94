import Foundation
import Testing
import VerbatimModel
import VerbatimTesting

@testable import VerbatimStore

@Suite("Paragraph cache")
struct ParagraphCacheTests {
    /// Paragraph `number` of `document` through `session`, as text, or the error's message.
    static func read(_ session: ReadSession, _ document: String, _ number: UInt32) -> String {
        var name = document
        do {
            return try name.withUTF8 { utf8 in
                try session.withParagraphBytes(document: UnsafeRawBufferPointer(utf8), number: number) {
                    try ParagraphRecord(stored: $0).text
                }
            }
        } catch {
            return "error: \((error as? StoreError)?.message ?? "\(error)")"
        }
    }

    /// A store holding L/9001 (`threeParagraphs`), a cache of 64 entries and a session on it.
    static func served() throws -> (TestStore, Store, ParagraphCache, ReadSession) {
        let t = TestStore()
        let store = try t.open()
        _ = try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: threeParagraphs))
        let cache = ParagraphCache(entries: 64)
        return (t, store, cache, ReadSession(store: store, cache: cache))
    }

    @Test("a paragraph read again in the same snapshot comes from the cache, the same bytes as the B-trees give")
    func hit() throws {
        let (t, store, cache, session) = try Self.served()
        _ = t
        for n in 1...3 {
            #expect(Self.read(session, "L/9001", UInt32(n)) == threeParagraphs[n - 1])
            #expect(Self.read(session, "L/9001", UInt32(n)) == threeParagraphs[n - 1])
        }
        #expect(cache.hits == 3)
        #expect(cache.misses == 3)
        // Another session of the thread, in the same snapshot, shares the entries.
        session.end()
        let other = ReadSession(store: store, cache: cache)
        #expect(Self.read(other, "L/9001", 2) == threeParagraphs[1])
        #expect(cache.hits == 4)
        other.end()
    }

    @Test("after a write, a replaced paragraph is read anew, not from the cache")
    func newSnapshot() throws {
        let (t, store, cache, session) = try Self.served()
        _ = t
        #expect(Self.read(session, "L/9001", 2) == threeParagraphs[1])
        session.end()
        _ = try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: ["One.", "Two, replaced.", "Three."]))
        #expect(Self.read(session, "L/9001", 2) == "Two, replaced.")
        #expect(Self.read(session, "L/9001", 2) == "Two, replaced.")
        #expect(cache.hits == 1)
        session.end()
        _ = try store.delete("L/9001")
        #expect(Self.read(session, "L/9001", 2) == "error: unknown document \"L/9001\"")
        session.end()
    }

    @Test("names in another case are answered by the B-trees and not cached; errors are as without a cache")
    func otherCase() throws {
        let (t, _, cache, session) = try Self.served()
        _ = t
        for _ in 0..<3 { #expect(Self.read(session, "l/9001", 3) == threeParagraphs[2]) }
        #expect(cache.hits == 0)
        #expect(Self.read(session, "L/9001", 4) == "error: paragraph 4 is past the end of L/9001 (3 paragraphs)")
        #expect(Self.read(session, "L/9999", 1) == "error: unknown document \"L/9999\"")
        #expect(Self.read(session, "", 1) == "error: unknown document \"\"")
        session.end()
    }

    @Test("names and numbers whose hashes collide never answer for each other")
    func collisions() throws {
        let t = TestStore()
        let store = try t.open()
        _ = try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: threeParagraphs))
        _ = try store.ingest(Fixtures.document(symbol: "L/9002", paragraphs: ["Other one.", "Other two."]))
        // One entry, and one hash for everything: every lookup finds the last one stored.
        let cache = ParagraphCache(entries: 1, hash: { _, _ in 0x1234_5678_9ABC_DEF0 })
        let session = ReadSession(store: store, cache: cache)
        let asks: [(String, UInt32, String)] = [
            ("L/9001", 1, threeParagraphs[0]), ("L/9002", 1, "Other one."), ("L/9001", 2, threeParagraphs[1]),
            ("L/9002", 2, "Other two."), ("L/9002", 2, "Other two."), ("L/9001", 1, threeParagraphs[0]),
        ]
        for (document, number, text) in asks {
            #expect(Self.read(session, document, number) == text, "\(document) ¶\(number)")
        }
        #expect(cache.hits == 1)  // only the repeated L/9002 ¶2
        session.end()
    }

    @Test("a cache holds the largest power of two of entries not above what it is given, at least one")
    func capacity() {
        #expect(ParagraphCache(entries: 1 << 20).capacity == 1 << 20)
        #expect(ParagraphCache(entries: (1 << 20) / 3).capacity == 1 << 18)
        #expect(ParagraphCache(entries: 1000).capacity == 512)
        #expect(ParagraphCache(entries: 1).capacity == 1)
        #expect(ParagraphCache(entries: 0).capacity == 1)
    }

    @Test("a remap of the file drops every entry")
    func remap() throws {
        let (t, _, cache, session) = try Self.served()
        _ = t
        #expect(Self.read(session, "L/9001", 1) == threeParagraphs[0])
        session.end()
        // Stands for Environment.mapGeneration moving on; the snapshot is the same.
        cache.check(mapGeneration: 1)
        #expect(Self.read(session, "L/9001", 1) == threeParagraphs[0])
        #expect(cache.hits == 0)
        session.end()
    }
}
