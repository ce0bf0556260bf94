import ArgumentParser
import Foundation
import VerbatimStore

/// `verbatim-bench export-paragraphs`: every stored paragraph as `key<TAB>number<TAB>text`
/// lines (tabs and newlines of the text as spaces), in document id order, for loading the
/// same paragraphs into another database (tools/bench-ingest.sh loads them into SQLite).
struct ExportParagraphsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-paragraphs",
        abstract: "Write every paragraph as key<TAB>number<TAB>text; print the counts as JSON.")

    @Option(help: "The store directory.") var db: String
    @Option(help: "The output file.") var out: String

    func run() throws {
        let store = try Store(path: db, options: .init(readOnly: true))
        guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out)
        else { throw BenchError("cannot create \(out)") }
        defer { try? handle.close() }
        var documents = 0
        var paragraphs = 0
        var textBytes = 0
        try store.read { (snap: borrowing Snapshot) throws in
            for d in try snap.documents() {
                documents += 1
                var chunk = ""
                for p in try snap.paragraphs(key: d.key) {
                    paragraphs += 1
                    textBytes += p.text.utf8.count
                    let text = p.text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
                    chunk += d.key + "\t" + String(p.number) + "\t" + text + "\n"
                }
                try handle.write(contentsOf: Data(chunk.utf8))
            }
        }
        print(#"{"documents": \#(documents), "paragraphs": \#(paragraphs), "textBytes": \#(textBytes)}"#)
    }
}
