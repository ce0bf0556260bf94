import ArgumentParser
import Foundation
import VerbatimProtocol
import VerbatimStore

/// `verbatim backup DEST`
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a compacted, consistent copy of the store into DEST (a new or empty folder).",
        discussion: "Safe while the daemon serves and another process ingests: the copy is one snapshot.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Destination folder (created when missing; must be empty).") var destination: String

    func run() throws {
        try store.refuseConnect("backup")
        let s = try store.openForReading()
        let started = Date()
        // "created when missing", parents included: LMDB itself makes only the last folder.
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        try s.backup(to: destination)
        let copy = try Store(path: destination, options: .init(readOnly: true))
        let st = try copy.read { try $0.statistics() }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination + "/data.mdb")[.size] as? Int) ?? 0
        if store.json {
            print("{\"destination\":\(jsonQuoted(destination)),\"documents\":\(st.documents),\"paragraphs\":\(st.paragraphs),\"bytes\":\(size)}")
        } else {
            print(String(
                format: "backed up %d documents, %d paragraphs (%.1f MB) to %@ in %.1f s", st.documents, st.paragraphs,
                Double(size) / 1_000_000, destination, Date().timeIntervalSince(started)))
        }
    }
}

/// `verbatim delete KEY`
struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete a document, its paragraphs and index entries, in one transaction.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Document symbol or key.") var key: String

    func run() throws {
        try store.refuseConnect("delete")
        let s = try store.openExistingForWriting()
        let doc = try s.read { try $0.document(key) }
        guard let doc else { throw CLIError("unknown document \"\(key)\"") }
        try s.delete(key)
        if store.json {
            print("{\"deleted\":\(jsonQuoted(doc.key)),\"paragraphs\":\(doc.paragraphCount)}")
        } else {
            print("deleted \(doc.key) (\(doc.paragraphCount) paragraphs)")
        }
    }
}
