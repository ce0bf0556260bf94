import Foundation
import Testing
import VerbatimTesting

/// `verbatim ingest` of the project's own `samples/` folder, and re-ingest.
@Suite("ingest samples")
struct IngestSamplesTests {
    @Test("samples/ holds 6 documents: 4 text files and 2 JSON Lines records")
    func sampleFolderShape() {
        #expect(Samples.documentCount == 6)
    }

    @Test("ingest of samples/ reports every document added, none rejected, and exits 0")
    func ingestReportsAdded() throws {
        let store = TestStore()
        let r = try store.ingest([Samples.folder])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("added") == 6, "\(r)")
        #expect(r.stdout.summaryCount("replaced") == 0)
        #expect(r.stdout.summaryCount("unchanged") == 0)
        #expect(r.stdout.summaryCount("duplicate") == 0)
        #expect(r.stdout.summaryCount("rejected") == 0)
        #expect(r.stdout.hasPrefix("6 documents (26 paragraphs"), "\(r)")
    }

    @Test("stats --json counts 6 documents and as many paragraphs as the documents list")
    func statsCounts() throws {
        let store = TestStore()
        try store.ingest([Samples.folder])
        let stats = try store.stats()
        #expect(stats.documents == 6)
        let docs = try store.jsonArray(["docs"])
        let sum = docs.map { ($0["paragraphCount"] as? Int) ?? 0 }.reduce(0, +)
        #expect(docs.count == 6)
        #expect(stats.paragraphs == sum)
        #expect(stats.paragraphs == 26)
    }

    @Test("ingest --json reports the paragraphs it added, matching stats")
    func ingestJSONSummary() throws {
        let store = TestStore()
        let r = try store.ingest([Samples.folder], ["--json"])
        #expect(r.status == 0, "\(r)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(summary["added"] as? Int == 6)
        #expect((summary["rejected"] as? [Any])?.isEmpty == true)
        #expect(summary["paragraphs"] as? Int == (try store.stats()).paragraphs)
    }

    @Test("a second ingest reports every document unchanged and changes neither stats nor the data file")
    func reingestIsIdempotent() throws {
        let store = TestStore()
        let first = try store.ingest([Samples.folder])
        #expect(first.status == 0, "\(first)")
        let statsBefore = try store.run(["stats", "--json"]).stdout
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: store.path + "/data.mdb"))

        let second = try store.ingest([Samples.folder])
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.summaryCount("unchanged") == 6, "\(second)")
        #expect(second.stdout.summaryCount("added") == 0)
        #expect(second.stdout.summaryCount("replaced") == 0)

        #expect(try store.run(["stats", "--json"]).stdout == statsBefore)
        let bytesAfter = try Data(contentsOf: URL(fileURLWithPath: store.path + "/data.mdb"))
        #expect(bytesAfter == bytesBefore, "data.mdb changed on an unchanged re-ingest")
    }

    @Test("a changed document is reported replaced and its new text is served")
    func changedDocumentReplaced() throws {
        let store = TestStore()
        let v1 = store.file("v1/note.txt", "First version of the paragraph.\n")
        let v2 = store.file("v2/note.txt", "Second version of the paragraph.\n")
        #expect(try store.ingest([v1]).status == 0)
        let r = try store.ingest([v2])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("replaced") == 1, "\(r)")
        #expect(try store.run(["get", "note", "1"]).stdout.contains("Second version of the paragraph."))
        #expect(try store.verifies())
    }

    @Test("the same key twice in one run is a duplicate, not a rejection")
    func duplicateInOneRun() throws {
        let store = TestStore()
        let a = store.file("a/note.txt", "One paragraph.\n")
        let b = store.file("b/note.txt", "Another paragraph.\n")
        let r = try store.ingest([a, b])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("added") == 1)
        #expect(r.stdout.summaryCount("duplicate") == 1)
        #expect(r.stdout.contains("duplicate: \(b): same key note as \(a)"), "\(r)")
    }

    @Test("a record sharing only the symbol of an earlier input is a duplicate that names the symbol")
    func duplicateSymbolInOneRun() throws {
        let store = TestStore()
        let sample = Samples.path("VB-SM-7-press-release.txt")
        let records = store.file("same-symbol.jsonl", "{\"key\": \"other-key\", \"symbol\": \"VB/SM/7\", \"text\": \"A paragraph.\"}\n")
        let r = try store.ingest([sample, records])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("duplicate") == 1, "\(r)")
        #expect(r.stdout.contains("duplicate: \(records):1: same symbol VB/SM/7 as \(sample)"), "\(r)")
    }

    @Test("a relative --db path works (a one-component path crashed the store creation)")
    func relativeStorePath() throws {
        let store = TestStore()
        // Run from the test's directory with `--db store`.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "cd \"$1\" && \"$2\" ingest --quiet --db store \"$3\" >/dev/null 2>&1", "sh", store.directory.path,
            CLI.executable, Samples.path("VB-SM-7-press-release.txt"),
        ]
        process.environment = CLI.baseEnvironment
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try store.stats().documents == 1)
    }
}
