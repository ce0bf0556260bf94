import Foundation
import Testing
import VerbatimModel
import VerbatimTesting

@testable import VerbatimStore

@Suite("Document cache")
struct DocumentCacheTests {
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
    static func served() throws -> (TestStore, Store, DocumentCache, ReadSession) {
        let t = TestStore()
        let store = try t.open()
        _ = try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: threeParagraphs))
        let cache = DocumentCache(entries: 64)
        return (t, store, cache, ReadSession(store: store, cache: cache))
    }

    @Test("a document read again in the same snapshot comes from the cache, the same bytes as the B-trees give")
    func hit() throws {
        let (t, store, cache, session) = try Self.served()
        _ = t
        for n in 1...3 {
            #expect(Self.read(session, "L/9001", UInt32(n)) == threeParagraphs[n - 1])
            #expect(Self.read(session, "L/9001", UInt32(n)) == threeParagraphs[n - 1])
        }
        #expect(cache.misses == 1)
        #expect(cache.hits == 5)
        // Another session of the thread, in the same snapshot, shares the entries.
        session.end()
        let other = ReadSession(store: store, cache: cache)
        #expect(Self.read(other, "L/9001", 2) == threeParagraphs[1])
        #expect(cache.hits == 6)
        other.end()
    }

    @Test("after a write, a replaced document is read anew, not from the cache")
    func newSnapshot() throws {
        let (t, store, cache, session) = try Self.served()
        _ = t
        #expect(Self.read(session, "L/9001", 2) == threeParagraphs[1])
        session.end()
        _ = try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: ["One.", "Two, replaced."]))
        #expect(Self.read(session, "L/9001", 2) == "Two, replaced.")
        #expect(Self.read(session, "L/9001", 3) == "error: paragraph 3 is past the end of L/9001 (2 paragraphs)")
        #expect(cache.hits == 1)
        #expect(cache.misses == 2)
        session.end()
        _ = try store.delete("L/9001")
        #expect(Self.read(session, "L/9001", 2) == "error: unknown document \"L/9001\"")
        session.end()
    }

    @Test("names that fold alike share an entry; a name too long to keep goes to the B-trees; errors are as without a cache")
    func folding() throws {
        let (t, _, cache, session) = try Self.served()
        _ = t
        for name in ["l/9001", "L / 9001", "L/9001"] { #expect(Self.read(session, name, 3) == threeParagraphs[2]) }
        #expect(cache.misses == 1 && cache.hits == 2)
        // 40 bytes: not looked up in the cache at all.
        let long = "L /" + String(repeating: " ", count: 33) + "9001"
        #expect(Self.read(session, long, 1) == threeParagraphs[0])
        #expect(cache.misses == 1 && cache.hits == 2)
        #expect(Self.read(session, "L/9001", 4) == "error: paragraph 4 is past the end of L/9001 (3 paragraphs)")
        #expect(Self.read(session, "L/9999", 1) == "error: unknown document \"L/9999\"")
        #expect(Self.read(session, "", 1) == "error: unknown document \"\"")
        #expect(Self.read(session, "L/9999", 1) == "error: unknown document \"L/9999\"")
        session.end()
    }

    @Test("names whose hashes collide never answer for each other; a set keeps its 4 latest")
    func collisions() throws {
        let t = TestStore()
        let store = try t.open()
        for d in 1...5 {
            _ = try store.ingest(Fixtures.document(symbol: "L/900\(d)", paragraphs: ["Paragraph of \(d)."]))
        }
        // One set of 4, and one hash for every name.
        let cache = DocumentCache(entries: 4, hash: { _ in 0x1234_5678_9ABC_DEF0 })
        let session = ReadSession(store: store, cache: cache)
        // 5 misses, then hits for the 4 latest, then 9001 again: dropped by the fifth.
        for d in [1, 2, 3, 4, 5, 2, 3, 4, 5, 1] {
            #expect(Self.read(session, "L/900\(d)", 1) == "Paragraph of \(d).", "L/900\(d)")
        }
        #expect(cache.hits == 4)
        #expect(cache.misses == 6)
        session.end()
    }

    @Test("a cache holds the largest power of two of entries not above what it is given, at least one set of 4")
    func capacity() {
        #expect(DocumentCache(entries: 1 << 16).capacity == 1 << 16)
        #expect(DocumentCache(entries: (1 << 16) / 3).capacity == 1 << 14)
        #expect(DocumentCache(entries: 1000).capacity == 512)
        #expect(DocumentCache(entries: 5).capacity == 4)
        #expect(DocumentCache(entries: 1).capacity == 4)
        #expect(DocumentCache(entries: 0).capacity == 4)
    }

    @Test("after 65,535 epochs the table is emptied, so an entry never meets its epoch number again")
    func epochWrap() throws {
        let (t, _, cache, session) = try Self.served()
        _ = t
        #expect(Self.read(session, "L/9001", 1) == threeParagraphs[0])  // a miss, kept in epoch 1
        session.end()
        // Epochs 2 to 65,535; the next read's session sees the map generation go back to 0,
        // a new epoch again: past 65,535, so the table is emptied and epoch 1 begins anew.
        for g in 1...UInt64(65_534) { cache.check(mapGeneration: g) }
        #expect(Self.read(session, "L/9001", 1) == threeParagraphs[0])
        #expect(cache.hits == 0 && cache.misses == 2)
        #expect(Self.read(session, "L/9001", 1) == threeParagraphs[0])
        #expect(cache.hits == 1)
        session.end()
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
