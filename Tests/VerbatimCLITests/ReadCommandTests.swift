import Foundation
import Testing
import VerbatimTesting

/// `get`, `docs`, `speakers`, `speaker`, `verify`, `delete` on a store of the samples.
@Suite("read commands")
struct ReadCommandTests {
    let store: TestStore

    init() throws {
        store = TestStore()
        let r = try store.ingest([Samples.folder])
        try #require(r.status == 0, "\(r)")
    }

    @Test("get KEY N prints the paragraph's citation, speaker and exact text")
    func getOneParagraph() throws {
        let r = try store.run(["get", "VB/1001", "2"])
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("VB/1001 ¶2  Maria Oliveira") == true, "\(r)")
        #expect(
            lines.dropFirst().first
                == "“A record that cannot be cited cannot be trusted,” Conference Chair Maria Oliveira said in her opening address.  “Every word we keep must be found again, exactly as it was spoken.”"
        )
        #expect(!r.stdout.contains("¶3"))
        #expect(r.stderr.isEmpty)
    }

    @Test("get with a lower-case symbol and a range N-M --json gives exactly those paragraphs")
    func getRangeJSON() throws {
        let paras = try store.jsonArray(["get", "vb/1001", "2-3"])
        #expect(paras.count == 2)
        #expect(paras.map { $0["number"] as? Int } == [2, 3])
        #expect(paras.map { $0["citation"] as? String } == ["VB/1001 ¶2", "VB/1001 ¶3"])
        #expect(paras[1]["citedSymbols"] as? [String] == ["VB/1000", "VB/SM/7"])
    }

    @Test("get KEY without a range prints the document header, then every paragraph")
    func getWholeDocument() throws {
        let r = try store.run(["get", "VB/SM/7"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("VB/SM/7  Exact Records"), "\(r)")
        for n in 1...4 { #expect(r.stdout.contains("VB/SM/7 ¶\(n)")) }
        #expect(!r.stdout.contains("¶5"))
    }

    @Test("get past the last paragraph is one error line naming the count, no stack trace")
    func getPastEnd() throws {
        let r = try store.run(["get", "VB/1001", "99"])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: paragraph 99 is past the end of VB/1001 (9 paragraphs)"], "\(r)")
        #expect(r.stdout.isEmpty)
    }

    @Test("get of an unknown document says so in one line")
    func getUnknownDocument() throws {
        let r = try store.run(["get", "VB/9999"])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: unknown document \"VB/9999\""], "\(r)")
    }

    @Test("get with an empty or blank key is an unknown document, not a storage error")
    func getBlankKey() throws {
        let blank = try store.run(["get", "  ", "1"])
        #expect(blank.status != 0)
        #expect(blank.errorLines == ["Error: unknown document \"  \""], "\(blank)")
        let empty = try store.run(["get", ""])
        #expect(empty.status != 0)
        #expect(empty.errorLines == ["Error: unknown document \"\""], "\(empty)")
    }

    @Test("get with a reversed range is a usage error naming the range and the get command")
    func getReversedRange() throws {
        let r = try store.run(["get", "VB/1001", "5-3"])
        #expect(r.status != 0)
        #expect(r.errorLines.first == "Error: range 5-3 is reversed", "\(r)")
        #expect(r.stderr.contains("Usage: verbatim get"), "\(r)")
    }

    @Test("get with paragraph 0 or a word instead of a number is refused")
    func getBadNumber() throws {
        let zero = try store.run(["get", "VB/1001", "0"])
        #expect(zero.status != 0)
        #expect(zero.errorLines.first == "Error: paragraph numbers start at 1", "\(zero)")
        let word = try store.run(["get", "VB/1001", "two"])
        #expect(word.status != 0)
        #expect(word.errorLines.first == "Error: paragraphs must be a number or a range like 3-5, not \"two\"", "\(word)")
    }

    @Test("a document without a symbol is found by the key derived from its file name")
    func getByFileNameKey() throws {
        let r = try store.run(["get", "vb-dsg-remarks-2024-03-04", "1"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("vb-dsg-remarks-2024-03-04 ¶1"), "\(r)")
        #expect(r.stdout.contains("I thank the organizers for bringing us together"))
    }

    @Test("speaker finds António Guterres from a name typed without diacritics or capitals")
    func speakerFolding() throws {
        let r = try store.run(["speaker", "antonio guterres"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("António Guterres  (speaker "), "\(r)")
        #expect(r.stdout.contains("VB/SM/7 ¶2"))
    }

    @Test("speaker --json decodes and lists the speaker's paragraphs with citations")
    func speakerJSON() throws {
        let found = try store.jsonArray(["speaker", "António Guterres"])
        #expect(found.count == 1)
        let speaker = found.first?["speaker"] as? [String: Any]
        #expect(speaker?["name"] as? String == "António Guterres")
        let citations = (found.first?["paragraphs"] as? [[String: Any]])?.compactMap { $0["citation"] as? String }
        #expect(citations == ["VB/SM/7 ¶2", "VB/SM/7 ¶3", "VB/SM/7 ¶4"])
    }

    @Test("speaker with an unknown name is a one-line error")
    func speakerUnknown() throws {
        let r = try store.run(["speaker", "Nobody Atall"])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: no speaker named \"Nobody Atall\""], "\(r)")
    }

    @Test("speakers --json decodes to the speakers, each with a name, Guterres among them")
    func speakersJSON() throws {
        let speakers = try store.jsonArray(["speakers"])
        #expect(speakers.count == (try store.stats()).speakers)
        #expect(speakers.allSatisfy { !(($0["name"] as? String) ?? "").isEmpty })
        #expect(speakers.contains { $0["name"] as? String == "António Guterres" })
    }

    @Test("docs --json lists the 6 documents in ingest order with their keys")
    func docsJSON() throws {
        let docs = try store.jsonArray(["docs"])
        #expect(docs.count == 6)
        let keys = Set(docs.compactMap { $0["key"] as? String })
        #expect(
            keys == [
                "VB/1001", "VB/PV.3", "VB/SM/7", "SAMPLE:PRT_79_2024", "SAMPLE:SWE_79_2024", "vb-dsg-remarks-2024-03-04",
            ])
        let ids = docs.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted())
    }

    @Test("docs --kind keeps only that kind")
    func docsKind() throws {
        let docs = try store.jsonArray(["docs", "--kind", "general-debate-statement"])
        #expect(docs.compactMap { $0["key"] as? String }.sorted() == ["SAMPLE:PRT_79_2024", "SAMPLE:SWE_79_2024"])
    }

    @Test("verify exits 0 and says ok")
    func verifyOK() throws {
        let r = try store.run(["verify"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("ok: 6 documents, 26 paragraphs"), "\(r)")
        let json = try store.run(["verify", "--json"])
        #expect(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{\"ok\":true,\"problems\":[]}")
    }

    @Test("delete removes the document: get then fails, counts drop, verify stays ok")
    func deleteDocument() throws {
        let before = try store.stats()
        let r = try store.run(["delete", "VB/1001"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.trimmingCharacters(in: .newlines) == "deleted VB/1001 (9 paragraphs)")
        let get = try store.run(["get", "VB/1001", "1"])
        #expect(get.status != 0)
        #expect(get.errorLines == ["Error: unknown document \"VB/1001\""], "\(get)")
        let after = try store.stats()
        #expect(after.documents == before.documents - 1)
        #expect(after.paragraphs == before.paragraphs - 9)
        #expect(try store.verifies())
    }

    @Test("delete of an unknown document fails and changes nothing")
    func deleteUnknown() throws {
        let before = try store.stats()
        let r = try store.run(["delete", "VB/9999"])
        #expect(r.status != 0)
        #expect(r.errorLines == ["Error: unknown document \"VB/9999\""], "\(r)")
        #expect(try store.stats() == before)
    }
}
