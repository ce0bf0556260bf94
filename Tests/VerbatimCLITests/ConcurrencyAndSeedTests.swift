import Foundation
import Testing
import VerbatimTesting

/// Several processes on one store.
@Suite("processes sharing a store")
struct ConcurrencyTests {
    @Test("readers in other processes succeed throughout two concurrent ingests, and the final counts are right")
    func readWhileIngesting() throws {
        let store = TestStore()
        // The store exists before the readers start (a missing store is a different error).
        try #require(try store.ingest([Samples.path("general-debate.jsonl")]).status == 0)

        // A second writer with enough documents to overlap the readers for a while.
        let generated = store.directory.appending("generated")
        var lines: [String] = []
        for i in 1...1500 {
            lines.append(
                "{\"key\": \"GEN-\(i)\", \"text\": \"Generated paragraph one of document \(i).\\nAnd paragraph two.\\n\"}")
        }
        _ = store.file("generated/many.jsonl", lines.joined(separator: "\n") + "\n")

        let samples = try CLI.start(["ingest", "--quiet", Samples.folder, "--db", store.path])
        let many = try CLI.start(["ingest", "--quiet", generated, "--db", store.path])

        var reads = 0
        var failures: [CLI.Result] = []
        var counts: [Int] = []
        while samples.isRunning || many.isRunning || reads < 4 {
            let stats = try store.run(["stats", "--json"])
            if stats.status == 0, let s = try? JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8)) {
                counts.append(s.documents)
            } else {
                failures.append(stats)
            }
            let get = try store.run(["get", "SAMPLE:PRT_79_2024", "1"])
            if get.status != 0 || !get.stdout.hasPrefix("SAMPLE:PRT_79_2024 ¶1") { failures.append(get) }
            reads += 1
        }
        let a = try samples.wait()
        let b = try many.wait()
        #expect(a.status == 0, "\(a)")
        #expect(b.status == 0, "\(b)")
        #expect(a.stdout.summaryCount("added") == 4, "\(a)")
        #expect(a.stdout.summaryCount("unchanged") == 2, "\(a)")
        #expect(b.stdout.summaryCount("added") == 1500, "\(b)")
        #expect(failures.isEmpty, "\(failures.count) reads failed, first: \(failures.first.map(String.init(describing:)) ?? "")")
        // Each reader sees a committed state: counts only grow, between the start and the end.
        #expect(counts == counts.sorted(), "document counts went backwards: \(counts)")
        #expect(counts.allSatisfy { (2...1506).contains($0) }, "\(counts)")

        let final = try store.stats()
        #expect(final.documents == 1506)
        #expect(final.paragraphs == 26 + 3000)
        #expect(try store.verifies())
    }
}

/// The shared seed documents (`../shared/seeds`), when present.
@Suite(
    "shared seeds",
    .enabled(if: TestPaths.hasShared, "../shared/seeds is absent: the seed tests need the shared corpus"))
struct SeedTests {
    let store: TestStore

    init() throws {
        store = TestStore()
        let r = try store.ingest([TestPaths.shared + "/seeds"])
        try #require(r.status == 0, "\(r)")
        try #require(r.stdout.summaryCount("added") == 2, "\(r)")
    }

    @Test("get L/3282 4 --json cites GA/12035 and GA/12036 and is Sima Bahous's")
    func l3282Paragraph4() throws {
        let paras = try store.jsonArray(["get", "L/3282", "4"])
        #expect(paras.count == 1)
        let p = try #require(paras.first)
        #expect(p["citation"] as? String == "L/3282 ¶4")
        #expect(p["citedSymbols"] as? [String] == ["GA/12035", "GA/12036"])
        #expect((p["speaker"] as? [String: Any])?["name"] as? String == "Sima Bahous")
        #expect((p["text"] as? String)?.contains("(See Press Releases GA/12035 and GA/12036.)") == true)
    }

    @Test("speaker \"Antonio Guterres\" lists his L/3282 paragraphs")
    func guterresParagraphs() throws {
        let r = try store.run(["speaker", "Antonio Guterres"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("António Guterres  (speaker "), "\(r)")
        let cited = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  L/3282 ¶") }
        #expect(cited.count >= 4, "\(r)")
        #expect(r.stdout.contains("  L/3282 ¶10 "), "\(r)")
    }
}
