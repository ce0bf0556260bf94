import Foundation
import Testing
import VerbatimTesting

/// `cite`, `quote`, `cited-by` and `refs` on a store of the samples.
@Suite("citation commands")
struct CitationCommandTests {
    let store: TestStore

    init() throws {
        store = TestStore()
        let r = try store.ingest([Samples.folder])
        try #require(r.status == 0, "\(r)")
    }

    /// A command's `--json` output as one JSON object.
    func jsonObject(_ args: [String]) throws -> [String: Any] {
        let r = try store.run(args + ["--json"])
        guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        else { throw TestStore.Failed(result: r) }
        return object
    }

    static let oliveira2 =
        "Maria Oliveira, Chair of the Sample Conference on Public Records (Portugal) — “Open Archives Make Institutions Accountable, Speakers Tell Sample Conference on Public Records”, VB/1001, ¶2"

    @Test("cite a paragraph: its long citation, then the paragraph with its long citation below")
    func citeParagraph() throws {
        let r = try store.run(["cite", "VB/1001 ¶2"])
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == Self.oliveira2, "\(r)")
        #expect(lines.dropFirst(2).first == "VB/1001 ¶2  Maria Oliveira (Chair of the Sample Conference on Public Records, Portugal)")
        #expect(lines.dropFirst(3).first?.hasPrefix("“A record that cannot be cited cannot be trusted,”") == true, "\(r)")
        #expect(lines.dropFirst(4).first == "  " + Self.oliveira2)
        #expect(!r.stdout.contains("¶3"))
    }

    @Test("cite with spaces unquoted and a #range gives the range's citation and each paragraph in --json")
    func citeRangeJSON() throws {
        let object = try jsonObject(["cite", "vb/1001#2-3"])
        #expect(object["citation"] as? String == "VB/1001 ¶¶2-3")
        #expect((object["long_citation"] as? String)?.hasSuffix("VB/1001, ¶¶2-3") == true, "\(object)")
        #expect((object["document"] as? [String: Any])?["key"] as? String == "VB/1001")
        let paragraphs = object["paragraphs"] as? [[String: Any]] ?? []
        #expect(paragraphs.compactMap { $0["number"] as? Int } == [2, 3])
        #expect(paragraphs.first?["longCitation"] as? String == Self.oliveira2)
        let words = try store.run(["cite", "VB/1001", "para", "2"])
        #expect(words.status == 0 && words.stdout.hasPrefix(Self.oliveira2 + "\n"), "\(words)")
    }

    @Test("cite errors are one line: unknown document, reversed range, past the end")
    func citeErrors() throws {
        let cases = [
            ("L/9999", "Error: unknown document \"L/9999\""),
            ("L/9999 ¶2", "Error: unknown document \"L/9999\""),
            ("VB/1001 ¶5-3", "Error: range 5-3 is reversed"),
            ("VB/1001#40", "Error: paragraph 40 is past the end of VB/1001 (9 paragraphs)"),
        ]
        for (reference, error) in cases {
            let r = try store.run(["cite", reference])
            #expect(r.status == 1, "\(r)")
            #expect(r.errorLines == [error], "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
        }
    }

    @Test("quote finds every paragraph with the quotation and marks where it is")
    func quoteExact() throws {
        let r = try store.run(["quote", "Cannot", "be", "cited"])
        #expect(r.status == 0, "\(r)")
        let heads = r.stdout.split(separator: "\n").filter { $0.hasPrefix("VB/") }
        #expect(heads == ["VB/1001 ¶2  offsets 15-30", "VB/1001 ¶6  offsets 151-166"], "\(r)")
        #expect(r.stdout.contains("  “A record that [cannot be cited] cannot be trusted,”"), "\(r)")
        #expect(r.stdout.contains("  " + Self.oliveira2 + "\n"), "\(r)")
        let object = try jsonObject(["quote", "exactly as it was spoken"])
        let matches = object["matches"] as? [[String: Any]] ?? []
        #expect(matches.count == 1)
        #expect(matches.first?["ranges"] as? [[Int]] == [[154, 178]])
        #expect(matches.first?["distance"] as? Int == 0)
        #expect((matches.first?["paragraph"] as? [String: Any])?["citation"] as? String == "VB/1001 ¶2")
        #expect(object["next_page_token"] is NSNull)
    }

    @Test("quote --near tolerates one changed word and says how far each match is")
    func quoteNear() throws {
        let r = try store.run(["quote", "--near", "cannot be citd"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("VB/1001 ¶2  offsets 15-30, 31-48  (distance 1)\n"), "\(r)")
        let exact = try store.run(["quote", "cannot be citd"])
        #expect(exact.status == 0, "\(exact)")
        #expect(exact.stdout == "no paragraph contains \"cannot be citd\"\n", "\(exact)")
    }

    @Test("quote pages with --limit and the printed --page token")
    func quotePaging() throws {
        let first = try store.run(["quote", "cannot be cited", "--limit", "1"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.hasPrefix("VB/1001 ¶2  offsets"), "\(first)")
        let more = first.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(more.hasPrefix("more: --page "), "\(first)")
        let token = String(more.dropFirst("more: --page ".count))
        let second = try store.run(["quote", "cannot be cited", "--limit", "1", "--page", token])
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.hasPrefix("VB/1001 ¶6  offsets"), "\(second)")
        #expect(!second.stdout.contains("more: --page"), "\(second)")
    }

    @Test("quote filters by document, speaker and dates; bad filters are one-line errors")
    func quoteFilters() throws {
        let inOther = try store.run(["quote", "cannot be cited", "--doc", "VB/PV.3"])
        #expect(inOther.stdout == "no paragraph contains \"cannot be cited\"\n", "\(inOther)")
        let bySpeaker = try store.run(["quote", "cannot be cited", "--speaker", "maria oliveira"])
        #expect(bySpeaker.stdout.hasPrefix("VB/1001 ¶2  offsets 15-30"), "\(bySpeaker)")
        let cases = [
            (["quote", "word"], "Error: a quotation needs at least 2 words; \"word\" has 1"),
            (["quote", "cannot be cited", "--doc", "X/1"], "Error: unknown document \"X/1\""),
            (["quote", "cannot be cited", "--speaker", "Nobody Atall"], "Error: no speaker named \"Nobody Atall\""),
            (["quote", "cannot be cited", "--from", "2025", "--to", "2024"], "Error: --from 2025 is after --to 2024"),
            (["quote", "cannot be cited", "--from", "20x"], "Error: not a date: \"20x\" (use 2018, 2018-06 or 2018-06-28)"),
        ]
        for (args, error) in cases {
            let r = try store.run(args)
            #expect(r.status == 1, "\(r)")
            #expect(r.errorLines == [error], "\(r)")
        }
        let zero = try store.run(["quote", "cannot be cited", "--limit", "0"])
        #expect(zero.status == 64, "\(zero)")
        #expect(zero.errorLines.first == "Error: --limit must be between 1 and 1000, not 0", "\(zero)")
        for option in ["--speaker", "--doc", "--page"] {
            let blank = try store.run(["quote", "cannot be cited", option, " "])
            #expect(blank.status == 64, "\(blank)")
            #expect(blank.errorLines.first == "Error: \(option) must not be blank", "\(blank)")
        }
    }

    @Test("cited-by lists the citing paragraphs and whether the cited document is stored")
    func citedBy() throws {
        let r = try store.run(["cited-by", "vb/sm/7"])
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "vb/sm/7: 1 citing paragraph; in the store as VB/SM/7", "\(r)")
        #expect(lines.dropFirst().first?.hasPrefix("  VB/1001 ¶3  Maria Oliveira, Chair") == true, "\(r)")
        let object = try jsonObject(["cited-by", "VB/SM/7"])
        #expect((object["document"] as? [String: Any])?["key"] as? String == "VB/SM/7")
        #expect((object["citing"] as? [[String: Any]])?.compactMap { $0["citation"] as? String } == ["VB/1001 ¶3"])
        let absent = try store.run(["cited-by", "ZZ/1"])
        #expect(absent.status == 0, "\(absent)")
        #expect(absent.stdout == "ZZ/1: 0 citing paragraphs; not in the store\n", "\(absent)")
        let absentJSON = try jsonObject(["cited-by", "resolution", "1234", "(2020)"])
        #expect(absentJSON["document"] is NSNull)
        #expect((absentJSON["citing"] as? [[String: Any]])?.count == 2, "\(absentJSON)")
        let blank = try store.run(["cited-by", "  "])
        #expect(blank.status == 64, "\(blank)")
        #expect(blank.errorLines.first == "Error: the symbol is empty", "\(blank)")
    }

    @Test("refs lists the symbols a document cites in order of first mention, with the citing paragraphs")
    func refs() throws {
        let r = try store.run(["refs", "VB/1001"])
        #expect(r.status == 0, "\(r)")
        #expect(
            r.stdout == """
                symbol                  paragraphs  in store
                VB/1000                 VB/1001 ¶3  -
                VB/SM/7                 VB/1001 ¶3  VB/SM/7
                resolution 1234 (2020)  VB/1001 ¶7  -
                A/RES/99/1              VB/1001 ¶9  -

                """, "\(r)")
        let r2 = try store.run(["refs", "VB/PV.3", "--json"])
        #expect(
            r2.stdout
                == "[{\"symbol\":\"resolution 1234 (2020)\",\"paragraphs\":[3],\"citations\":[\"VB/PV.3 ¶3\"],\"document_key\":null},"
                + "{\"symbol\":\"VB/1001\",\"paragraphs\":[3],\"citations\":[\"VB/PV.3 ¶3\"],\"document_key\":\"VB/1001\"}]\n",
            "\(r2)")
        let none = try store.run(["refs", "SAMPLE:SWE_79_2024"])
        #expect(none.stdout == "SAMPLE:SWE_79_2024 cites no document symbol\n", "\(none)")
        let unknown = try store.run(["refs", "L/9999"])
        #expect(unknown.status == 1)
        #expect(unknown.errorLines == ["Error: unknown document \"L/9999\""], "\(unknown)")
    }
}
