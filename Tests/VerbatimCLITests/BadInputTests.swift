import Foundation
import Testing
import VerbatimTesting

/// Bad input in one `ingest` run: the bad file is rejected with a precise reason, the run
/// exits 1, the good files of the same run are still added, and the store still verifies.
@Suite("ingest of bad input")
struct BadInputTests {
    let store = TestStore()
    /// A good document given in the same run as every bad one.
    let good = Samples.path("VB-SM-7-press-release.txt")

    /// Ingests `bad` with the good sample and checks everything but the reason.
    func ingestWithGood(_ bad: String) throws -> CLI.Result {
        let r = try store.ingest([bad, good])
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.summaryCount("rejected") == 1, "\(r)")
        #expect(r.stdout.summaryCount("added") == 1, "\(r)")
        let get = try store.run(["get", "VB/SM/7", "2"])
        #expect(get.status == 0, "the good file was not added: \(get)")
        #expect(try store.verifies())
        return r
    }

    @Test("an empty file is rejected as an empty document")
    func emptyFile() throws {
        let bad = store.file("empty.txt", Data())
        let r = try ingestWithGood(bad)
        #expect(r.stdout.contains("\nrejected: \(bad): empty document: no bytes"), "\(r)")
    }

    @Test("a file of white space only is rejected as an empty document")
    func blankFile() throws {
        let bad = store.file("blank.txt", " \n\n\t\u{00A0}\n")
        let r = try ingestWithGood(bad)
        #expect(r.stdout.contains("\nrejected: \(bad): empty document: only white space"), "\(r)")
    }

    @Test("a binary file is rejected at its first NUL byte")
    func binaryFile() throws {
        let bad = store.file("image.txt", Data([0x89, 0x50, 0x4E, 0x47]) + Data("PNG".utf8) + Data([0, 0, 0, 13]))
        let r = try ingestWithGood(bad)
        // 0x89 is not UTF-8 either; the first problem found is reported.
        #expect(r.stdout.contains("\nrejected: \(bad): invalid UTF-8 at byte 0"), "\(r)")
        let nul = store.file("nul.txt", Data("Readable text".utf8) + Data([0]) + Data("more\n".utf8))
        let r2 = try store.ingest([nul])
        #expect(r2.status == 1)
        #expect(r2.stdout.contains("\nrejected: \(nul): binary data: NUL byte at offset 13"), "\(r2)")
    }

    @Test("a file of header lines only (meeting line, symbol, date) is rejected: no body paragraphs")
    func headerLinesOnly() throws {
        let bad = store.file("header-only.txt", "Security Council\nVB/PV.9\n6 March 2024\n")
        let r = try ingestWithGood(bad)
        #expect(
            r.stdout.contains("\nrejected: \(bad): no body paragraphs: the document has only header lines and headings"),
            "\(r)")
    }

    /// Heading-shaped lines are headings only when a paragraph follows (HeadingRule): with
    /// nothing after them they are body paragraphs, so such a file is accepted.
    @Test("a file of heading-shaped lines only is accepted: without a paragraph after them they are paragraphs")
    func headingsOnly() throws {
        let path = store.file("headings-only.txt", "Opening Address\n\nStatements\n")
        let r = try store.ingest([path])
        #expect(r.status == 0, "\(r)")
        let paras = try store.jsonArray(["get", "headings-only"])
        #expect(paras.compactMap { $0["text"] as? String } == ["Opening Address", "Statements"])
    }

    @Test("invalid UTF-8 is rejected with the byte offset of the first bad byte")
    func invalidUTF8() throws {
        // "Café" in Latin-1: the 0xE9 is byte 3.
        let bad = store.file("latin1.txt", Data("Caf".utf8) + Data([0xE9]) + Data(" au lait is a drink.\n".utf8))
        let r = try ingestWithGood(bad)
        #expect(r.stdout.contains("\nrejected: \(bad): invalid UTF-8 at byte 3"), "\(r)")
    }

    @Test("a document without a symbol is accepted under its file name's stem")
    func noSymbolKeyFromFileName() throws {
        let path = store.file("my-notes.txt", "A plain paragraph without any symbol.\n\nAnd a second one.\n")
        let r = try store.ingest([path, good])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("added") == 2)
        let get = try store.run(["get", "my-notes", "1"])
        #expect(get.status == 0, "\(get)")
        #expect(get.stdout == "my-notes ¶1\nA plain paragraph without any symbol.\n\n")
    }

    @Test("a 50 MB single paragraph is rejected with its size and the 1 MiB limit")
    func hugeParagraph() throws {
        let size = 50 * 1024 * 1024
        var data = Data(repeating: UInt8(ascii: "a"), count: size - 1)
        data.append(UInt8(ascii: "."))
        data.append(UInt8(ascii: "\n"))
        let bad = store.file("huge.txt", data)
        let r = try ingestWithGood(bad)
        #expect(r.stdout.contains("\nrejected: \(bad): paragraph 1 is 52428800 bytes; the limit is 1048576"), "\(r)")
    }

    @Test("a JSON Lines file with bad lines: each is rejected as path:line, the good lines are added")
    func jsonLinesWithBadLines() throws {
        let path = store.file(
            "mixed.jsonl",
            """
            {"key": "J1", "text": "The first record is fine."}
            {not json
            {"key": "J3", "text": "The third record is fine too."}
            {"key": "J4", "title": "no text"}
            {"key": "J5", "text": ""}

            """)
        let r = try store.ingest([path, good])
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.summaryCount("added") == 3, "\(r)")
        #expect(r.stdout.summaryCount("rejected") == 3, "\(r)")
        #expect(r.stdout.contains("\nrejected: \(path):2: invalid JSON: "), "\(r)")
        #expect(r.stdout.contains("\nrejected: \(path):4: missing \"text\" field"), "\(r)")
        #expect(r.stdout.contains("\nrejected: \(path):5: empty document: no text"), "\(r)")
        #expect(!r.stdout.contains(":2: line 2:"), "the line number is said twice")
        #expect(try store.run(["get", "J1", "1"]).status == 0)
        #expect(try store.run(["get", "J3", "1"]).stdout.contains("The third record is fine too."))
        #expect(try store.verifies())
    }

    @Test("a path that does not exist is rejected as 'cannot read: no such file'")
    func nonexistentPath() throws {
        let missing = store.directory.appending("no-such-file.txt")
        let r = try ingestWithGood(missing)
        #expect(r.stdout.contains("\nrejected: \(missing): cannot read: no such file"), "\(r)")
    }

    @Test(
        "a JSON Lines key that is blank or over 511 bytes is rejected with a reason about the key, not LMDB's",
        arguments: ["   ", String(repeating: "K", count: 600)])
    func unusableKey(_ key: String) throws {
        let path = store.file("keys.jsonl", "{\"key\": \"\(key)\", \"text\": \"A paragraph.\"}\n")
        let r = try store.ingest([path])
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("\nrejected: \(path):1: "), "\(r)")
        #expect(!r.stdout.contains("MDB_BAD_VALSIZE"), "\(r)")
        let reason = key.trimmingCharacters(in: .whitespaces).isEmpty ? "key is blank" : "key is 600 bytes; the limit is 400"
        #expect(r.stdout.contains("\nrejected: \(path):1: \(reason)"), "\(r)")
        #expect(try store.verifies())
    }

    @Test("files of other formats inside a folder are skipped, not rejected")
    func otherFormatsSkipped() throws {
        let folder = store.directory.appending("mixed")
        _ = store.file("mixed/notes.txt", "A paragraph of notes.\n")
        _ = store.file("mixed/picture.png", Data([0x89, 0x50, 0x4E, 0x47, 0]))
        let r = try store.ingest([folder])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("added") == 1)
        #expect(r.stdout.summaryCount("skipped") == 1)
        #expect(r.stdout.contains("skipped: \(folder)/picture.png: not a document format"), "\(r)")
    }

    @Test("ingest --json lists rejections with source and reason")
    func rejectionsInJSON() throws {
        let bad = store.file("empty.txt", Data())
        let r = try store.ingest([bad, good], ["--json"])
        #expect(r.status == 1)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rejected = summary["rejected"] as? [[String: String]]
        #expect(rejected == [["source": bad, "reason": "empty document: no bytes"]])
        #expect(summary["added"] as? Int == 1)
    }
}
