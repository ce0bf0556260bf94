import Logging
import NIOCore
import SwiftProtobuf
import Testing
import VerbatimClient
import VerbatimModel
import VerbatimProtocol
import VerbatimServer
import VerbatimStore
import VerbatimTesting
import VerbatimWire

/// A real daemon on an OS-chosen loopback port serving the seeds, plus `L/9001`, a
/// fixture document without speakers whose paragraph 1 cites L/3282 (a stored document).
final class SeedServer: Sendable {
    let directory = TemporaryDirectory("verbatim-citation-test")
    let store: Store
    let server: VerbatimServer
    let port: Int

    init() async throws {
        let store = try Store(path: directory.appending("store"))
        self.store = store
        try SeedDocuments.ingestAll(into: store)
        try store.ingest(
            Fixtures.document(
                paragraphs: ["The conference report was noted by the Committee.", "Nothing further."], speakers: [],
                speakerOf: { _ in nil }, cited: [1: ["L/3282"]]))
        var config = VerbatimServer.Configuration()
        config.port = 0
        config.threads = 1
        var logger = Logger(label: "verbatim.test")
        logger.logLevel = .critical
        server = VerbatimServer(store: store, configuration: config, logger: logger)
        port = try await server.start()
    }

    /// Runs `body` with a client connected to a fresh seed server, then stops both.
    static func with(_ body: (VerbatimClient) async throws -> Void) async throws {
        try await withStore { _, client in try await body(client) }
    }

    /// `with`, lending the served store too.
    static func withStore(_ body: (Store, VerbatimClient) async throws -> Void) async throws {
        let s = try await SeedServer()
        let client = try await VerbatimClient.connect(port: s.port)
        do {
            try await body(s.store, client)
        } catch {
            await client.close()
            await s.server.shutdown()
            throw error
        }
        await client.close()
        await s.server.shutdown()
    }
}

/// The text of `range` (Unicode scalar offsets) in `text`.
private func slice(_ text: String, _ range: Verbatim_V1_TextRange) -> String {
    var s = String.UnicodeScalarView()
    s.append(contentsOf: Array(text.unicodeScalars)[Int(range.start)..<Int(range.end)])
    return String(s)
}

@Suite("Citation methods end to end", .timeLimit(.minutes(2)), .enabled(if: TestPaths.hasShared, "../shared/seeds is absent"))
struct CitationMethodTests {
    @Test func resolveCitation() async throws {
        try await SeedServer.with { client in
            let expected = try await client.getParagraph(document: "L/3282", number: 12).paragraph
            for form in ["L/3282 ¶12", "L/3282 para 12", "L/3282 para. 12", "L/3282 paragraph 12", "L/3282#12", "l/3282 ¶12"] {
                let r = try await client.resolveCitation(form)
                #expect(r.document.symbol == "L/3282", "\(form)")
                #expect(r.citation == "L/3282 ¶12", "\(form)")
                #expect(r.paragraphs.map(\.text) == [expected.text], "\(form)")
                #expect(r.paragraphs.first?.citation == "L/3282 ¶12")
                #expect(r.paragraphs.first?.longCitation.hasPrefix("António Guterres, Secretary") == true)
                #expect(r.paragraphs.first?.longCitation.hasSuffix("”, L/3282, ¶12") == true)
                #expect(r.longCitation == r.paragraphs.first?.longCitation)
            }
            for form in ["L/3282 ¶¶3-5", "L/3282 paras 3–5", "L/3282#3-5"] {
                let r = try await client.resolveCitation(form)
                #expect(r.paragraphs.map(\.number) == [3, 4, 5], "\(form)")
                #expect(r.paragraphs.map(\.citation) == ["L/3282 ¶3", "L/3282 ¶4", "L/3282 ¶5"])
                #expect(r.citation == "L/3282 ¶¶3-5")
                #expect(r.longCitation.hasSuffix("¶¶3-5"))
            }
            let whole = try await client.resolveCitation("L/3282")
            let count = whole.document.paragraphCount
            #expect(count > 12 && whole.paragraphs.count == Int(count))
            #expect(whole.paragraphs.map(\.number) == Array(1...count))
            #expect(whole.citation == "L/3282")
        }
    }

    @Test func resolveCitationErrors() async throws {
        try await SeedServer.with { client in
            let count = try await client.getDocument("L/3282").paragraphCount
            let cases: [(String, StatusCode, String)] = [
                ("L/9999", .notFound, "unknown document \"L/9999\""),
                ("L/9999 ¶3", .notFound, "unknown document \"L/9999\""),
                ("L/3282 ¶40", .notFound, "paragraph 40 is past the end of L/3282 (\(count) paragraphs)"),
                ("L/3282 ¶¶5-3", .invalidArgument, "range 5-3 is reversed"),
                ("L/3282#0", .invalidArgument, "paragraph numbers start at 1, not 0"),
                ("¶12", .invalidArgument, "no document before the paragraph in \"¶12\""),
                ("L/3282#", .invalidArgument, "no paragraph number after the document in \"L/3282#\""),
                ("", .invalidArgument, "empty reference"),
            ]
            // A name longer than any key LMDB accepts is unknown, not a storage failure.
            let long = String(repeating: "A", count: 600)
            await #expect { try await client.resolveCitation(long + " ¶2") } throws: {
                ($0 as? VerbatimError)?.code == .notFound
            }
            #expect(try await client.citedBy(long).citing.isEmpty)
            for (reference, code, message) in cases {
                await #expect(throws: VerbatimError(code, message), "\(reference)") {
                    try await client.resolveCitation(reference)
                }
            }
        }
    }

    @Test func findQuoteExact() async throws {
        try await SeedServer.with { client in
            let found = try await client.findQuote("We must work together")
            #expect(found.matches.count == 2)
            #expect(found.nextPageToken.isEmpty)
            for m in found.matches {
                #expect(m.paragraph.symbol == "L/3282")
                #expect(m.paragraph.speaker.name == "António Guterres")
                #expect(m.paragraph.citation == "L/3282 ¶\(m.paragraph.number)")
                #expect(m.paragraph.longCitation.hasPrefix("António Guterres"))
                #expect(m.distance == 0)
                #expect(!m.ranges.isEmpty)
                for r in m.ranges { #expect(slice(m.paragraph.text, r).lowercased() == "we must work together") }
            }
            // Quotation marks and filters.
            #expect(try await client.findQuote("“We must work together”").matches.count == 2)
            #expect(try await client.findQuote("We must work together", speaker: "Guterres").matches.count == 2)
            #expect(try await client.findQuote("We must work together", speaker: "Sima Bahous").matches.isEmpty)
            #expect(try await client.findQuote("We must work together", document: "L/3282").matches.count == 2)
            #expect(try await client.findQuote("We must work together", document: "L/9001").matches.isEmpty)
            // L/3282 has no date (0): outside any range with a lower bound.
            #expect(try await client.findQuote("We must work together", dateFrom: 20160101).matches.isEmpty)
            let peacekeepers = "our peacekeepers are now being specifically targeted"
            let dated = try await client.findQuote(peacekeepers, dateFrom: 20161107, dateTo: 20161107)
            #expect(dated.matches.map(\.paragraph.citation) == ["un-dsg-remarks-2016-11-07 ¶3"])
            #expect(try await client.findQuote(peacekeepers, dateFrom: 20161108).matches.isEmpty)
            // Paging: two pages of one.
            let first = try await client.findQuote("We must work together", limit: 1)
            #expect(first.matches.count == 1 && !first.nextPageToken.isEmpty)
            let second = try await client.findQuote("We must work together", limit: 1, pageToken: first.nextPageToken)
            #expect(second.matches.count == 1)
            #expect(second.matches.first?.paragraph.number != first.matches.first?.paragraph.number)
        }
    }

    @Test func findQuoteNear() async throws {
        try await SeedServer.with { client in
            let q = "Terrorism is grave and complex threat"
            let exact = try await client.findQuote(q)
            #expect(exact.matches.map(\.paragraph.citation) == ["L/3282 ¶14"])
            let near = try await client.findQuote(q, near: true)
            #expect(near.matches.map(\.paragraph.citation) == ["L/3282 ¶14", "L/3282 ¶3"])
            #expect(near.matches.map(\.distance) == [0, 1])
            let variant = try #require(near.matches.last?.ranges.first)
            #expect(slice(near.matches[1].paragraph.text, variant).lowercased().hasPrefix("terrorism is a grave"))
            let paged = try await client.findQuote(q, near: true, limit: 1)
            #expect(paged.matches.map(\.distance) == [0] && !paged.nextPageToken.isEmpty)
            let rest = try await client.findQuote(q, near: true, limit: 1, pageToken: paged.nextPageToken)
            #expect(rest.matches.map(\.paragraph.citation) == ["L/3282 ¶3"] && rest.nextPageToken.isEmpty)
        }
    }

    @Test func findQuoteErrors() async throws {
        try await SeedServer.with { client in
            await #expect(throws: VerbatimError(.invalidArgument, "a quotation needs at least 2 words; \"together\" has 1")) {
                try await client.findQuote("together")
            }
            await #expect(throws: VerbatimError(.invalidArgument, "limit must be between 1 and 1000, not 1001")) {
                try await client.findQuote("We must work together", limit: 1001)
            }
            await #expect(throws: VerbatimError(.invalidArgument, "bad page token \"n1\" for an exact lookup")) {
                try await client.findQuote("We must work together", pageToken: "n1")
            }
            await #expect(throws: VerbatimError(.invalidArgument, "date_from 20190101 is after date_to 20181231")) {
                try await client.findQuote("We must work together", dateFrom: 20190101, dateTo: 20181231)
            }
            await #expect(throws: VerbatimError(.notFound, "no speaker named \"Nobody Known\"")) {
                try await client.findQuote("We must work together", speaker: "Nobody Known")
            }
            await #expect(throws: VerbatimError(.notFound, "unknown document \"L/9999\"")) {
                try await client.findQuote("We must work together", document: "L/9999")
            }
        }
    }

    @Test func citedByAndReferences() async throws {
        try await SeedServer.with { client in
            // A symbol whose document is not stored.
            let ga = try await client.citedBy("ga/12035")
            #expect(ga.symbol == "ga/12035")
            #expect(!ga.hasDocument)
            #expect(ga.citing.map(\.citation) == ["L/3282 ¶4"])
            #expect(ga.citing.first?.longCitation.hasSuffix("¶4") == true)
            #expect(ga.citing.first?.text.contains("GA/12035") == true)
            // A stored document.
            let l3282 = try await client.citedBy("L/3282")
            #expect(l3282.document.symbol == "L/3282")
            #expect(l3282.citing.map(\.citation) == ["L/9001 ¶1"])
            // Nothing cites it: OK and empty.
            #expect(try await client.citedBy("A/RES/99/999").citing.isEmpty)
            await #expect(throws: VerbatimError(.invalidArgument, "empty symbol")) { try await client.citedBy("  ") }

            let refs = try await client.references(ofDocument: "l/3282")
            let cited = try #require(refs.first { $0.symbol == "GA/12035" })
            #expect(cited.paragraphs == [4] && cited.citations == ["L/3282 ¶4"] && cited.documentKey.isEmpty)
            #expect(refs.contains { $0.symbol == "GA/12036" })
            #expect(try await client.references(ofDocument: "L/9001").map(\.documentKey) == ["L/3282"])
            await #expect(throws: VerbatimError(.notFound, "unknown document \"L/9999\"")) {
                try await client.references(ofDocument: "L/9999")
            }
        }
    }

    /// ResolveCitation writes its response around the paragraphs' stored bytes with field 14
    /// appended: for every seed document, the whole document, its first and last paragraph
    /// and a range, it must equal the message built from the store's decoded answer, and
    /// each paragraph's long citation the one the store makes from the decoded paragraph.
    @Test func resolveCitationEqualsTheStoresAnswer() async throws {
        let s = try await SeedServer()
        let client = try await VerbatimClient.connect(port: s.port)
        let docs = try s.store.read { try $0.documents() }
        #expect(docs.count == 3)
        var paragraphs = 0
        for d in docs where d.paragraphCount > 0 {
            let n = Int(d.paragraphCount)
            for reference in [d.name, "\(d.name)#1", "\(d.name)#\(n)", "\(d.name)#1-\(min(n, 3))"] {
                let r = try s.store.read { try $0.resolve(reference) }
                var expected = Verbatim_V1_ResolveCitationResponse()
                expected.document = r.document
                expected.paragraphs = r.paragraphs
                expected.citation = r.citation
                expected.longCitation = r.longCitation
                let answered = try await client.resolveCitation(reference)
                #expect(answered == expected, "\(reference)")
                for p in answered.paragraphs {
                    #expect(p.longCitation == (try s.store.read { try $0.longCitation(p) }), "\(reference)")
                }
                paragraphs += answered.paragraphs.count
            }
        }
        #expect(paragraphs > 60)
        await client.close()
        await s.server.shutdown()
    }

    /// CitedBy writes its response around the citing paragraphs' stored bytes with field 14
    /// appended: for every symbol the seeds cite, stored or not, with and without a limit,
    /// it must equal the message built from the store's decoded answer.
    @Test func citedByEqualsTheStoresAnswer() async throws {
        let s = try await SeedServer()
        let client = try await VerbatimClient.connect(port: s.port)
        let symbols = Set(
            try s.store.read { snap in try snap.documents().flatMap { try snap.references(ofDocument: $0.name).map(\.symbol) } })
        #expect(symbols == ["GA/12035", "GA/12036", "L/3282"])
        var citing = 0
        var withDocument = 0
        for symbol in symbols.sorted() + ["GA/99999"] {
            for limit in [0, 1] {
                let found = try s.store.read { try $0.citedBy(symbol, limit: limit == 0 ? .max : limit) }
                var expected = Verbatim_V1_CitedByResponse()
                expected.symbol = found.symbol
                if let d = found.document { expected.document = d }
                expected.citing = found.citing
                let answered = try await client.citedBy(symbol, limit: UInt32(limit))
                #expect(answered == expected, "\(symbol), limit \(limit)")
                #expect(answered.citing.allSatisfy { !$0.longCitation.isEmpty })
                citing += answered.citing.count
                withDocument += answered.hasDocument ? 1 : 0
            }
        }
        #expect(citing >= 4 && withDocument > 0)
        await client.close()
        await s.server.shutdown()
    }

    /// FindQuote writes its response around each match's stored bytes with field 14
    /// appended; it must equal, field for field (a misplaced byte would decode as an unknown
    /// field or not at all), the message built from the store's answer decoded: exact and
    /// near, a first and a later page, a match at offset 0, none.
    @Test func findQuoteEqualsTheStoresAnswer() async throws {
        let s = try await SeedServer()
        let client = try await VerbatimClient.connect(port: s.port)
        let first = try s.store.read { try $0.findQuote(QuoteQuery("We must work together", limit: 1)) }
        let cases: [(QuoteQuery, Verbatim_V1_FindQuoteRequest)] = [
            "We must work together", "Terrorism is grave and complex threat", "The conference report", "no such words here",
        ].flatMap { text in
            [false, true].map { near in
                var r = Verbatim_V1_FindQuoteRequest()
                r.text = text
                r.near = near
                return (QuoteQuery(text, near: near), r)
            }
        } + [
            {
                var r = Verbatim_V1_FindQuoteRequest()
                r.text = "We must work together"
                r.limit = 1
                r.pageToken = first.nextPageToken ?? ""
                return (QuoteQuery("We must work together", limit: 1, pageToken: first.nextPageToken), r)
            }()
        ]
        var distances: Set<Int> = []
        var atZero = 0
        for (query, request) in cases {
            let found = try s.store.read { try $0.findQuote(query) }
            var expected = Verbatim_V1_FindQuoteResponse()
            expected.matches = try found.matches.map { m in
                var q = Verbatim_V1_QuoteMatch()
                q.paragraph = try m.paragraph
                q.ranges = m.ranges.map { r in
                    var t = Verbatim_V1_TextRange()
                    t.start = UInt32(r.lowerBound)
                    t.end = UInt32(r.upperBound)
                    return t
                }
                q.distance = UInt32(m.distance)
                return q
            }
            expected.nextPageToken = found.nextPageToken ?? ""
            expected.candidatesChecked = UInt32(found.candidatesChecked)
            let answered = try await client.findQuote(request)
            #expect(answered == expected, "\(query.text), near \(query.near)")
            for m in answered.matches {
                #expect(!m.paragraph.longCitation.isEmpty && !m.paragraph.text.isEmpty)
                distances.insert(Int(m.distance))
                atZero += m.ranges.filter { $0.start == 0 }.count
            }
        }
        #expect(distances == [0, 1])
        #expect(atZero > 0)
        await client.close()
        await s.server.shutdown()
    }

    /// SpeakerParagraphs sends each paragraph's stored bytes with field 14 appended; every
    /// speaker's stream must equal, message for message, what the store answers decoded.
    @Test func speakerParagraphsEqualTheStoresAnswer() async throws {
        let s = try await SeedServer()
        let client = try await VerbatimClient.connect(port: s.port)
        let speakers = try s.store.read { try $0.speakers() }
        #expect(speakers.count > 5)
        var compared = 0
        for speaker in speakers {
            let expected = try s.store.read { try $0.paragraphs(bySpeaker: speaker.id) }
            var streamed: [Verbatim_V1_Paragraph] = []
            for try await p in client.speakerParagraphs(speakerID: speaker.id) { streamed.append(p) }
            #expect(streamed == expected, "speaker \(speaker.id) \(speaker.name)")
            #expect(streamed.allSatisfy { !$0.longCitation.isEmpty })
            compared += streamed.count
        }
        #expect(compared > 20)
        await client.close()
        await s.server.shutdown()
    }

    @Test func speakerQueries() async throws {
        try await SeedServer.with { client in
            let guterres = try #require(try await client.findSpeakers(name: "Antonio Guterres").first)
            var all: [Verbatim_V1_Paragraph] = []
            for try await p in client.speakerParagraphs(speakerID: guterres.id) { all.append(p) }
            #expect(!all.isEmpty)
            #expect(all.allSatisfy { $0.speaker.id == guterres.id && $0.longCitation.hasPrefix("António Guterres") })
            var inL3282: [UInt32] = []
            for try await p in client.speakerParagraphs(speakerID: guterres.id, document: "L/3282") { inL3282.append(p.number) }
            #expect(inL3282 == all.filter { $0.symbol == "L/3282" }.map(\.number) && !inL3282.isEmpty)
            var inL9001 = 0
            for try await _ in client.speakerParagraphs(speakerID: guterres.id, document: "L/9001") { inL9001 += 1 }
            #expect(inL9001 == 0)
            await #expect(throws: VerbatimError(.notFound, "unknown document \"L/9999\"")) {
                for try await _ in client.speakerParagraphs(speakerID: guterres.id, document: "L/9999") {}
            }

            let quotes = try await client.speakerQuotations(speakerID: guterres.id)
            let reported = try #require(quotes.first { $0.paragraph.citation == "L/3282 ¶2" })
            #expect(reported.rule == "reported")
            #expect(reported.text.hasPrefix("The top priority is that we must work together"))
            #expect(slice(reported.paragraph.text, reported.range) == reported.text)
            #expect(reported.paragraph.longCitation.hasSuffix("¶2"))
            #expect(try await client.speakerQuotations(speakerID: guterres.id, limit: 1).count == 1)
            #expect(try await client.speakerQuotations(speakerID: guterres.id, dateFrom: 20190101).isEmpty)
            await #expect(throws: VerbatimError(.notFound, "no speaker with id 999999")) {
                try await client.speakerQuotations(speakerID: 999_999)
            }
            await #expect(throws: VerbatimError(.invalidArgument, "limit must be between 1 and 1000, not 5000")) {
                try await client.speakerQuotations(speakerID: guterres.id, limit: 5000)
            }
        }
    }

    /// SpeakerQuotations writes its response around each paragraph's stored bytes with field
    /// 14 appended: for every speaker of the seeds, with and without a limit, it must equal the
    /// message built from the store's decoded answer, and each long citation the one made
    /// from the decoded paragraph.
    @Test func speakerQuotationsEqualTheStoresAnswer() async throws {
        try await SeedServer.withStore { store, client in
            let speakers = try store.read { try $0.speakers() }
            var quotations = 0
            for s in speakers {
                for limit in [0, 1, 2] {
                    let found = try store.read { try $0.quotations(bySpeaker: s.id, limit: limit == 0 ? 100 : limit) }
                    let expected = found.map { q in
                        var out = Verbatim_V1_SpeakerQuotation()
                        out.paragraph = q.paragraph
                        out.range.start = UInt32(q.range.lowerBound)
                        out.range.end = UInt32(q.range.upperBound)
                        out.text = q.text
                        out.rule = q.rule.rawValue
                        return out
                    }
                    let answered = try await client.speakerQuotations(speakerID: s.id, limit: UInt32(limit))
                    #expect(answered == expected, "\(s.name), limit \(limit)")
                    for q in answered {
                        #expect(q.paragraph.longCitation == (try store.read { try $0.longCitation(q.paragraph) }))
                    }
                    quotations += answered.count
                }
            }
            #expect(quotations >= 3)
        }
    }

    /// The ResolveCitation request of docs/PROTOCOL.md §4.1, byte for byte.
    @Test func resolveCitationBytesAsDocumented() async throws {
        let s = try await SeedServer()
        let c = try await RawConnection(port: s.port)
        try await c.handshake()
        try await c.send([
            0x00, 0x00, 0x00, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00,
            0x0a, 0x09, 0x4c, 0x2f, 0x33, 0x32, 0x38, 0x32, 0x23, 0x31, 0x32,
        ])
        let response = try #require(try await c.next())
        #expect(response.type == .response && response.stream == 1)
        let answer = try Verbatim_V1_ResolveCitationResponse(serializedBytes: Array(response.payload.readableBytesView))
        #expect(answer.citation == "L/3282 ¶12" && answer.paragraphs.map(\.number) == [12])
        let status = try #require(try await c.next())
        #expect(status.stream == 1 && status.statusParts()?.code == .ok)
        await c.close()
        await s.server.shutdown()
    }
}
