import Testing
import VerbatimClient
import VerbatimModel
import VerbatimStore
import VerbatimTesting

@testable import VerbatimServer

@Suite("Document ids cached per event loop")
struct DocumentIDCacheTests {
    func withBytes<R>(_ s: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        Array(s.utf8).withUnsafeBytes(body)
    }

    @Test func holdsForOneGenerationOnly() {
        let cache = DocumentIDCache(capacity: 16)
        withBytes("L/9001") { cache.insert($0, id: 7, generation: 3) }
        #expect(withBytes("L/9001") { cache.id(for: $0, generation: 3) } == 7)
        #expect(withBytes("l/9001") { cache.id(for: $0, generation: 3) } == nil, "keyed by the request's bytes")
        #expect(withBytes("L/9001") { cache.id(for: $0, generation: 4) } == nil, "another committed state")
        withBytes("L/9002") { cache.insert($0, id: 8, generation: 4) }
        #expect(withBytes("L/9001") { cache.id(for: $0, generation: 3) } == nil, "a new generation drops the old")
        #expect(withBytes("L/9002") { cache.id(for: $0, generation: 4) } == 8)
    }

    @Test func fullTableStartsAfresh() {
        let cache = DocumentIDCache(capacity: 16)  // at most 12 entries
        for i in 0..<12 { withBytes("K\(i)") { cache.insert($0, id: UInt32(i), generation: 1) } }
        #expect(cache.entries == 12)
        #expect((0..<12).allSatisfy { i in withBytes("K\(i)") { cache.id(for: $0, generation: 1) } == UInt32(i) })
        withBytes("K12") { cache.insert($0, id: 12, generation: 1) }
        #expect(cache.entries == 1)
        #expect(withBytes("K0") { cache.id(for: $0, generation: 1) } == nil)
        #expect(withBytes("K12") { cache.id(for: $0, generation: 1) } == 12)
    }

    @Test func arenaLimitStartsAfresh() {
        let cache = DocumentIDCache(capacity: 64, arenaLimit: 10)
        withBytes("ABCDEF") { cache.insert($0, id: 1, generation: 1) }
        withBytes("GHIJKL") { cache.insert($0, id: 2, generation: 1) }  // 12 bytes > 10: starts afresh
        #expect(withBytes("ABCDEF") { cache.id(for: $0, generation: 1) } == nil)
        #expect(withBytes("GHIJKL") { cache.id(for: $0, generation: 1) } == 2)
    }

    /// Through the daemon: a document replaced, deleted, or deleted and added again under
    /// the same symbol (a new id) is answered from the store as it now is, never from an id
    /// cached before.
    @Test func theDaemonNeverAnswersFromAStaleID() async throws {
        let server = try await TestServer.make()
        let client = try await VerbatimClient.connect(port: server.port)
        let firstID = try server.store.read { try $0.documentID("L/9001") }
        #expect(try await client.getParagraph(document: "L/9001", number: 1).paragraph.text == TestServer.smallTexts[0])
        #expect(try await client.getParagraph(document: "L/9001", number: 2).paragraph.text == TestServer.smallTexts[1])

        try server.store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: ["Replaced first.", "Replaced second."]))
        #expect(try await client.getParagraph(document: "L/9001", number: 2).paragraph.text == "Replaced second.")

        try server.store.delete("L/9001")
        await #expect(throws: VerbatimError.self) { try await client.getParagraph(document: "L/9001", number: 1) }

        try server.store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: ["Added again."]))
        #expect(try server.store.read { try $0.documentID("L/9001") } != firstID, "a new id: the old one would not resolve")
        #expect(try await client.getParagraph(document: "L/9001", number: 1).paragraph.text == "Added again.")
        #expect(try await client.getParagraph(document: "L/9002", number: 3).paragraph.text == TestServer.largeTexts[2])
        await client.close()
        await server.stop()
    }
}
