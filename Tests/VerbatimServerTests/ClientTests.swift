import Foundation
import NIOCore
import Testing
import VerbatimClient
import VerbatimModel
import VerbatimProtocol
import VerbatimServer
import VerbatimStore
import VerbatimTesting
import VerbatimWire

// The suites that talk to a daemon have a time limit: a reply that never comes must fail
// its test, not hang the run until CI gives up (the longest of these tests takes 9 s).
@Suite("Server and client end to end", .timeLimit(.minutes(2)))
struct ClientTests {
    @Test func everyMethod() async throws {
        let server = try await TestServer.make()
        let client = try await VerbatimClient.connect(port: server.port)

        let answer = try await client.getParagraph(document: "L/9001", number: 3)
        #expect(answer.paragraph.text == TestServer.smallTexts[2])
        #expect(answer.paragraph.documentKey == "L/9001")
        await #expect(throws: VerbatimError(.notFound, "unknown document \"L/0000\"")) {
            try await client.getParagraph(document: "L/0000", number: 1)
        }
        await #expect { try await client.getParagraph(document: "L/9001", number: 99) } throws: {
            ($0 as? VerbatimError)?.code == .notFound
        }
        await #expect { try await client.getParagraph(document: "L/9001", number: 0) } throws: {
            ($0 as? VerbatimError)?.code == .invalidArgument
        }

        var batch = Verbatim_V1_GetParagraphsRequest()
        for (d, n) in [("L/9001", 1), ("L/9002", 2000), ("L/9001", 6), ("nope", 1)] as [(String, UInt32)] {
            var r = Verbatim_V1_ParagraphRef()
            r.document = d
            r.number = n
            batch.refs.append(r)
        }
        let results = try await client.getParagraphs(batch).results
        #expect(results.count == 4)
        #expect(results[0].paragraph.text == TestServer.smallTexts[0])
        #expect(results[1].paragraph.text == TestServer.largeTexts[1999])
        #expect(results[2].error.code == StatusCode.notFound.rawValue)
        #expect(results[3].error.code == StatusCode.notFound.rawValue)

        let doc = try await client.getDocument("l/9002")
        #expect(doc.paragraphCount == 2000 && doc.symbol == "L/9002")
        // The stored record as sent equals the store's own decoding of it, field for field.
        #expect(doc == (try server.store.read { try $0.document("L/9002") }))
        await #expect(throws: VerbatimError(.notFound, "unknown document \"L/0000\"")) {
            try await client.getDocument("L/0000")
        }

        var part: [String] = []
        for try await p in client.streamDocument(document: "L/9001", first: 2, last: 4) { part.append(p.text) }
        #expect(part == Array(TestServer.smallTexts[1...3]))
        await #expect { for try await _ in client.streamDocument(document: "L/9001", first: 4, last: 2) {} } throws: {
            ($0 as? VerbatimError)?.code == .invalidArgument
        }

        var list = Verbatim_V1_ListDocumentsRequest()
        list.pageSize = 1
        let page1 = try await client.listDocuments(list)
        #expect(page1.documents.map(\.symbol) == ["L/9001"])
        #expect(page1.nextAfterID == page1.documents[0].id)
        list.afterID = page1.nextAfterID
        let page2 = try await client.listDocuments(list)
        #expect(page2.documents.map(\.symbol) == ["L/9002"] && page2.nextAfterID == 0)
        var dated = Verbatim_V1_ListDocumentsRequest()
        dated.dateFrom = 20190101
        #expect(try await client.listDocuments(dated).documents.map(\.symbol) == ["L/9002"])

        let found = try await client.findSpeakers(name: "antonio guterres")
        #expect(found.count == 1)
        let guterres = try #require(found.first)
        #expect(try await client.getSpeaker(id: guterres.id).name == "António Guterres")
        await #expect { try await client.getSpeaker(id: 999_999) } throws: { ($0 as? VerbatimError)?.code == .notFound }

        var sp = Verbatim_V1_SpeakerParagraphsRequest()
        sp.speakerID = guterres.id
        var spoken: [Verbatim_V1_Paragraph] = []
        for try await p in client.speakerParagraphs(sp) { spoken.append(p) }
        // Odd paragraphs are Guterres's: 3 in the small document, 1000 in the large one.
        #expect(spoken.count == 1003)
        #expect(spoken.allSatisfy { $0.speaker.id == guterres.id })
        sp.limit = 2
        sp.dateFrom = 20190101
        var limited: [Verbatim_V1_Paragraph] = []
        for try await p in client.speakerParagraphs(sp) { limited.append(p) }
        #expect(limited.map(\.documentKey) == ["L/9002", "L/9002"])

        let stats = try await client.stats()
        #expect(stats.documents == 2 && stats.paragraphs == 2005)
        let health = try await client.health()
        #expect(health.status == .serving && health.server.hasPrefix("verbatimd/"))
        _ = try await client.ping()

        await client.close()
        await server.stop()
    }

    @Test func thousandConcurrentCallsOnOneConnection() async throws {
        let server = try await TestServer.make()
        let client = try await VerbatimClient.connect(port: server.port)
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 0..<1000 {
                group.addTask {
                    let n = i % 2000 + 1
                    let a = try await client.getParagraph(document: "L/9002", number: UInt32(n))
                    return (n, a.paragraph.text)
                }
            }
            var count = 0
            for try await (n, text) in group {
                #expect(text == TestServer.largeTexts[n - 1])
                count += 1
            }
            #expect(count == 1000)
        }
        await client.close()
        await server.stop()
    }

    @Test func queuesBeyondTheServersStreamLimit() async throws {
        let server = try await TestServer.make { $0.maxConcurrentStreams = 2; $0.testingCallDelay = .milliseconds(5) }
        let client = try await VerbatimClient.connect(port: server.port)
        #expect(client.settings.maxConcurrentStreams == 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 1...20 {
                group.addTask {
                    let a = try await client.getParagraph(document: "L/9001", number: UInt32(i % 5 + 1))
                    #expect(a.paragraph.number == UInt32(i % 5 + 1))
                }
            }
            try await group.waitForAll()
        }
        await client.close()
        await server.stop()
    }

    @Test func streamsAWholeDocument() async throws {
        let server = try await TestServer.make()
        let client = try await VerbatimClient.connect(port: server.port)
        var texts: [String] = []
        for try await p in client.streamDocument(document: "L/9002") {
            #expect(Int(p.number) == texts.count + 1)
            texts.append(p.text)
        }
        #expect(texts == TestServer.largeTexts)
        await client.close()
        await server.stop()
    }

    @Test func deadlineExpires() async throws {
        // Each stream item is delayed by the test hook: 2000 paragraphs cannot be sent in 50 ms.
        let server = try await TestServer.make { $0.testingCallDelay = .milliseconds(2) }
        let client = try await VerbatimClient.connect(port: server.port)
        await #expect {
            for try await _ in client.streamDocument(document: "L/9002", deadline: .milliseconds(50)) {}
        } throws: { ($0 as? VerbatimError)?.code == .deadlineExceeded }
        // Unary, with the server delaying every call by 2 ms and a deadline of 1 ms.
        await #expect {
            try await client.getParagraph(document: "L/9001", number: 1, deadline: .milliseconds(1))
        } throws: { ($0 as? VerbatimError)?.code == .deadlineExceeded }
        // The connection still works.
        #expect(try await client.getParagraph(document: "L/9001", number: 1).paragraph.number == 1)
        await client.close()
        await server.stop()
    }

    @Test func cancelledCall() async throws {
        let server = try await TestServer.make { $0.testingCallDelay = .milliseconds(1500) }
        let client = try await VerbatimClient.connect(port: server.port)
        let task = Task { try await client.getParagraph(document: "L/9001", number: 1) }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        await #expect { try await task.value } throws: { ($0 as? VerbatimError)?.code == .cancelled }
        // A streaming call abandoned half-way.
        var seen = 0
        for try await _ in client.streamDocument(document: "L/9002") {
            seen += 1
            if seen == 2 { break }
        }
        #expect(seen == 2)
        #expect(try await client.health().status == .serving)
        await client.close()
        await server.stop()
    }

    @Test func aDocumentReplacedMidStreamEndsTheStreamWithAborted() async throws {
        // One paragraph every 50 ms of 2,000, so that the replacement lands mid-stream
        // however long its commit takes on a busy machine.
        let server = try await TestServer.make { $0.testingCallDelay = .milliseconds(50) }
        let client = try await VerbatimClient.connect(port: server.port)
        let original = TestServer.largeTexts
        let revised = original.map { $0 + " (revised)" }
        var seen: [String] = []
        await #expect {
            for try await p in client.streamDocument(document: "L/9002") {
                seen.append(p.text)
                if seen.count == 1 {
                    _ = try server.store.ingest(
                        Fixtures.document(symbol: "L/9002", date: DocumentDate(year: 2019, month: 1, day: 2), paragraphs: revised))
                }
            }
        } throws: { ($0 as? VerbatimError)?.code == .aborted }
        // Only paragraphs of the version the stream started on, and not all of them.
        #expect(!seen.isEmpty && seen.count < original.count)
        #expect(seen == Array(original.prefix(seen.count)))
        // A new stream reads the new version.
        var again: [String] = []
        for try await p in client.streamDocument(document: "L/9002", last: 3) { again.append(p.text) }
        #expect(again == Array(revised.prefix(3)))
        await client.close()
        await server.stop()
    }

    /// GetParagraph goes through the event loop's paragraph cache: a paragraph asked for
    /// again is answered the same, on this connection and another, and after a write
    /// replaces or deletes its document it is read anew.
    @Test func getParagraphThroughTheCacheAcrossWrites() async throws {
        let server = try await TestServer.make()
        let client = try await VerbatimClient.connect(port: server.port)
        let other = try await VerbatimClient.connect(port: server.port)
        for _ in 0..<3 {
            #expect(try await client.getParagraph(document: "L/9001", number: 2).paragraph.text == TestServer.smallTexts[1])
            #expect(try await other.getParagraph(document: "L/9001", number: 2).paragraph.text == TestServer.smallTexts[1])
        }
        let revised = TestServer.smallTexts.map { $0 + " (revised)" }
        try server.store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: revised))
        #expect(try await client.getParagraph(document: "L/9001", number: 2).paragraph.text == revised[1])
        #expect(try await other.getParagraph(document: "L/9001", number: 2).paragraph.text == revised[1])
        try server.store.delete("L/9001")
        await #expect {
            _ = try await client.getParagraph(document: "L/9001", number: 2)
        } throws: { ($0 as? VerbatimError)?.message == "unknown document \"L/9001\"" }
        await client.close()
        await other.close()
        await server.stop()
    }

    /// The loop's only connection gives its snapshot back as each of its reads is handled,
    /// and flushes there, with no task at the iteration's end: a write between two calls is
    /// seen by the second, while it is alone, beside a second connection (the loop's shared
    /// end of iteration again), and alone once more after that one has gone; calls in flight
    /// together are all answered from the new version.
    @Test func onlyConnectionOfItsLoopSeesEachWrite() async throws {
        let server = try await TestServer.make()
        let client = try await VerbatimClient.connect(port: server.port)
        var version = 0
        func write() throws {
            version += 1
            try server.store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: TestServer.smallTexts.map { "\($0) v\(version)" }))
        }
        @Sendable func expect(_ c: VerbatimClient, number: UInt32 = 2, version: Int) async throws {
            let text = try await c.getParagraph(document: "L/9001", number: number).paragraph.text
            #expect(text == "\(TestServer.smallTexts[Int(number) - 1]) v\(version)")
        }
        func expectCurrent(_ c: VerbatimClient, number: UInt32 = 2) async throws {
            try await expect(c, number: number, version: version)
        }
        for _ in 0..<3 {
            try write()
            try await expectCurrent(client)
        }
        let other = try await VerbatimClient.connect(port: server.port)
        for _ in 0..<3 {
            try write()
            try await expectCurrent(client)
            try await expectCurrent(other)
        }
        await other.close()
        for _ in 0..<200 where server.server.connectionCount > 1 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.server.connectionCount == 1)
        for _ in 0..<3 {
            try write()
            try await expectCurrent(client)
            // Another method in between gives the snapshot back and takes none of the loop's.
            #expect(try await client.getDocument("L/9001").paragraphCount == 5)
            try await expectCurrent(client, number: 4)
        }
        try write()
        let last = version
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<100 { group.addTask { try await expect(client, number: UInt32(i % 5 + 1), version: last) } }
            try await group.waitForAll()
        }
        await client.close()
        await server.stop()
    }

    /// With two event loops, each with its own snapshot and document cache, concurrent
    /// GetParagraph calls on connections of both are answered correctly, and a write is
    /// seen by the next call on every connection.
    @Test func twoEventLoops() async throws {
        let server = try await TestServer.make { $0.threads = 2 }
        var clients: [VerbatimClient] = []
        for _ in 0..<4 { clients.append(try await VerbatimClient.connect(port: server.port)) }
        #expect(server.server.connectionCount == 4)
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for (i, client) in clients.enumerated() {
                group.addTask {
                    var wrong = 0
                    for k in 0..<300 {
                        let n = (i * 300 + k * 7) % 2000 + 1
                        let a = try await client.getParagraph(document: k % 2 == 0 ? "L/9002" : "l/9002", number: UInt32(n))
                        if a.paragraph.text != TestServer.largeTexts[n - 1] || a.paragraph.number != UInt32(n) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
        let revised = TestServer.smallTexts.map { $0 + " (revised on two loops)" }
        for client in clients {
            #expect(try await client.getParagraph(document: "L/9001", number: 3).paragraph.text == TestServer.smallTexts[2])
        }
        try server.store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: revised))
        for client in clients {
            #expect(try await client.getParagraph(document: "L/9001", number: 3).paragraph.text == revised[2])
        }
        for client in clients { await client.close() }
        await server.stop()
    }

    /// While a document is replaced again and again, calls on connections of two event
    /// loops only ever see whole versions of it, and each connection's answers never go
    /// back to an older version than one it has seen (each call's snapshot is no older
    /// than the one before it on its connection).
    @Test func replacedWhileServedOnTwoLoops() async throws {
        let server = try await TestServer.make { $0.threads = 2 }
        let versions = 30
        func texts(_ v: Int) -> [String] { (1...5).map { "Paragraph \($0) of the small meeting, version \(v)." } }
        var clients: [VerbatimClient] = []
        for _ in 0..<4 { clients.append(try await VerbatimClient.connect(port: server.port)) }
        try server.store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: texts(0)))
        let store = server.store
        let writer = Task.detached {
            for v in 1...versions {
                try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: texts(v)))
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        let results = try await withThrowingTaskGroup(of: (calls: Int, wrong: Int, backwards: Int).self) { group in
            for (i, client) in clients.enumerated() {
                group.addTask {
                    var (calls, wrong, backwards, seen) = (0, 0, 0, 0)
                    var k = i
                    while calls < 200 || seen < versions {
                        k = k % 5 + 1
                        let p = try await client.getParagraph(document: "L/9001", number: UInt32(k)).paragraph
                        calls += 1
                        guard p.number == UInt32(k), let v = (0...versions).first(where: { texts($0)[k - 1] == p.text }) else {
                            wrong += 1
                            continue
                        }
                        if v < seen { backwards += 1 }
                        seen = max(seen, v)
                        if calls > 20_000 { break }
                    }
                    return (calls, wrong, backwards)
                }
            }
            var all: [(calls: Int, wrong: Int, backwards: Int)] = []
            for try await r in group { all.append(r) }
            return all
        }
        try await writer.value
        #expect(results.allSatisfy { $0.wrong == 0 && $0.backwards == 0 }, "\(results)")
        #expect(results.allSatisfy { $0.calls >= 200 && $0.calls <= 20_001 }, "\(results)")
        for client in clients {
            #expect(try await client.getParagraph(document: "L/9001", number: 5).paragraph.text == texts(versions)[4])
            await client.close()
        }
        await server.stop()
    }

    /// A response larger than the maximum frame size is answered RESOURCE_EXHAUSTED, and
    /// nothing of it is left on the connection: the next calls on it are answered whole.
    @Test func responsesLargerThanAFrame() async throws {
        let server = try await TestServer.make { $0.maxFrameSize = 1024 }
        var long = Fixtures.document(symbol: "L/9003", paragraphs: ["Short."])
        long.title = String(repeating: "A very long title. ", count: 100)
        try server.store.ingest(long)
        let client = try await VerbatimClient.connect(port: server.port)
        let tooLarge = VerbatimError(.resourceExhausted, "the response is larger than the maximum frame size")
        await #expect(throws: tooLarge) { try await client.getDocument("L/9003") }
        await #expect(throws: tooLarge) { try await client.listDocuments(Verbatim_V1_ListDocumentsRequest()) }
        var batch = Verbatim_V1_GetParagraphsRequest()
        for n in 1...20 {
            var r = Verbatim_V1_ParagraphRef()
            r.document = "L/9002"
            r.number = UInt32(n)
            batch.refs.append(r)
        }
        await #expect(throws: tooLarge) { try await client.getParagraphs(batch) }
        #expect(try await client.getDocument("L/9001").symbol == "L/9001")
        batch.refs = Array(batch.refs.prefix(2))
        #expect(try await client.getParagraphs(batch).results.map(\.paragraph.number) == [1, 2])
        var list = Verbatim_V1_ListDocumentsRequest()
        list.pageSize = 2
        let page = try await client.listDocuments(list)
        #expect(page.documents.map(\.symbol) == ["L/9001", "L/9002"] && page.nextAfterID == page.documents[1].id)
        await client.close()
        // On the wire: the oversized call gets its STATUS and no RESPONSE, then a call that
        // fits gets both.
        let raw = try await RawConnection(port: server.port)
        try await raw.handshake()
        var request = Verbatim_V1_GetDocumentRequest()
        request.document = "L/9003"
        try await raw.send(.request(stream: 1, method: .getDocument, message: request.buffer))
        request.document = "L/9001"
        try await raw.send(.request(stream: 3, method: .getDocument, message: request.buffer))
        var frames: [(FrameType, UInt32)] = []
        while frames.count < 3, let f = try await raw.next() { frames.append((f.type, f.stream)) }
        #expect(frames.map { "\($0.0) \($0.1)" } == ["\(FrameType.status) 1", "\(FrameType.response) 3", "\(FrameType.status) 3"])
        await raw.close()
        await server.stop()
    }

    @Test func goAwayDuringInFlightCalls() async throws {
        let server = try await TestServer.make { $0.testingCallDelay = .milliseconds(2500) }
        let client = try await VerbatimClient.connect(port: server.port)
        let calls = (1...5).map { n in
            Task { try await client.getParagraph(document: "L/9001", number: UInt32(n)).paragraph.number }
        }
        // Long enough for the calls to reach the server on a busy machine, well before
        // their answers (2.5 s).
        try await Task.sleep(for: .milliseconds(800))
        let shutdown = Task { await server.server.gracefulShutdown() }
        try await Task.sleep(for: .milliseconds(50))
        // In-flight calls complete normally.
        for (i, call) in calls.enumerated() { #expect(try await call.value == UInt32(i + 1)) }
        // New calls are refused cleanly, once the GOAWAY has reached the client (a call sent
        // before it is still answered): the client's reconnection finds no listener.
        var refusal: VerbatimError?
        for _ in 0..<50 where refusal == nil {
            do {
                _ = try await client.health()
            } catch let e as VerbatimError {
                refusal = e
            }
        }
        #expect(refusal?.code == .unavailable)
        await shutdown.value
        await #expect { try await VerbatimClient.connect(port: server.port) } throws: {
            ($0 as? VerbatimError)?.code == .unavailable
        }
        await client.close()
    }
}
