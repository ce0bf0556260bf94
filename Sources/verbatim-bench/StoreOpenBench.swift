import ArgumentParser
import CLMDBBench
import Foundation
import VerbatimProtocol  // the record types VerbatimStore returns (a dependency of VerbatimStore)
import VerbatimStore

/// `verbatim-bench store-open`: the time from before `Store(path:)` to after the first
/// paragraph is decoded, in this (fresh) process. Run it as a separate process each time:
/// tools/bench-store.sh runs it several times and reports the median.
struct StoreOpenBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-open",
        abstract: "Open the store read-only and decode its first paragraph; print the time."
    )

    @Option(help: "The store directory (an LMDB environment).")
    var db: String

    @Flag(help: "Print JSON instead of a line of text.")
    var json = false

    func run() throws {
        let start = vb_bench_now_ns()
        let store = try Store(path: db, options: .init(readOnly: true))
        // The first paragraph: paragraph 1 of the document with the lowest id.
        let paragraph = try store.read { snap -> ParagraphRecord? in
            guard let doc = try snap.documents(limit: 1).first else { return nil }
            return try snap.paragraph(documentID: doc.id, number: 1)
        }
        let end = vb_bench_now_ns()
        guard let paragraph else { throw BenchError("the store at \(db) has no paragraphs") }
        let ms = Double(end - start) / 1e6
        if json {
            print(#"{"openFirstParagraphMilliseconds": \#(ms), "textBytes": \#(paragraph.text.utf8.count)}"#)
        } else {
            print(String(format: "store opened and first paragraph decoded in %.3f ms", ms))
        }
    }
}
