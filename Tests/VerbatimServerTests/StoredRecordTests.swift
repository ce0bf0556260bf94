import Testing
import VerbatimClient
import VerbatimProtocol
import VerbatimServer
import VerbatimStore
import VerbatimTesting
import VerbatimWire

/// ListDocuments, GetSpeaker and FindSpeakers send the stored records as they are; their
/// answers must equal, field for field, what the store's decoded records give.
@Suite("Records sent as stored", .timeLimit(.minutes(2)), .enabled(if: TestPaths.hasShared, "../shared/seeds is absent"))
struct StoredRecordTests {
    /// Every page of every filter (kinds as stored, in capitals and unknown; date bounds on
    /// and between the documents' dates; page sizes 1, 2 and the default), walked by
    /// `next_after_id`, against a plain filter of the store's decoded documents.
    @Test func listDocumentsEqualsTheStoresAnswer() async throws {
        try await SeedServer.withStore { store, client in
            let all = try store.read { try $0.documents() }
            #expect(all.count == 3)
            let kinds = Set(all.map(\.kind))
            let dates = Set(all.map(\.date)).sorted()
            var pages = 0
            for kind in [""] + kinds.sorted() + kinds.map { $0.uppercased() } + ["nope"] {
                for (from, to) in [(0, 0)] + dates.map { ($0, $0) } + [(dates[0] + 1, 0), (0, dates.last! - 1)] {
                    let expected = all.filter { d in
                        (kind.isEmpty || d.kind.lowercased() == kind.lowercased())
                            && (from == 0 || d.date >= from) && (to == 0 || d.date <= to)
                    }
                    for size in [1, 2, 0] {
                        var request = Verbatim_V1_ListDocumentsRequest()
                        request.kind = kind
                        request.dateFrom = UInt32(from)
                        request.dateTo = UInt32(to)
                        request.pageSize = UInt32(size)
                        var seen: [Verbatim_V1_Document] = []
                        while true {
                            let page = try await client.listDocuments(request)
                            pages += 1
                            seen += page.documents
                            let more = seen.count < expected.count
                            #expect(page.nextAfterID == (more ? page.documents.last?.id ?? 0 : 0), "\(kind) \(from)-\(to) \(size)")
                            guard more, page.nextAfterID != 0 else { break }
                            request.afterID = page.nextAfterID
                        }
                        #expect(seen == expected, "kind \"\(kind)\", dates \(from)-\(to), page size \(size)")
                    }
                }
            }
            #expect(pages > 60)
            var reversed = Verbatim_V1_ListDocumentsRequest()
            reversed.dateFrom = 20190101
            reversed.dateTo = 20181231
            await #expect(throws: VerbatimError(.invalidArgument, "date_from 20190101 is after date_to 20181231")) {
                try await client.listDocuments(reversed)
            }
        }
    }

    /// Every speaker by id, and found by its name, each alias and its last word, against
    /// the store's decoded records.
    @Test func speakersEqualTheStoresAnswer() async throws {
        try await SeedServer.withStore { store, client in
            let speakers = try store.read { try $0.speakers() }
            #expect(speakers.count > 5)
            var found = 0
            for s in speakers {
                #expect(try await client.getSpeaker(id: s.id) == s)
                let names = [s.name, String(s.name.split(separator: " ").last ?? "")] + s.aliases.map(\.text)
                for name in names {
                    let answered = try await client.findSpeakers(name: name)
                    #expect(answered == (try store.read { try $0.findSpeakers(name) }), "\(name)")
                    #expect(answered.contains(s), "\(name)")
                    found += answered.count
                }
            }
            #expect(found >= speakers.count * 2)
            #expect(try await client.findSpeakers(name: "Nobody Of That Name").isEmpty)
            await #expect(throws: VerbatimError(.notFound, "unknown speaker 999999")) {
                try await client.getSpeaker(id: 999_999)
            }
        }
    }
}
