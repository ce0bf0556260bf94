import ArgumentParser
import Foundation
import SwiftProtobuf
import VerbatimModel
import VerbatimProtocol
import VerbatimStore

/// `verbatim docs`
struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List documents in the order they were first ingested.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only documents of this kind (remarks, press-release, meeting-coverage, …).") var kind: String?
    @Option(help: "At most this many.") var limit: Int = 100
    @Option(help: "Start after this document id (paging).") var after: UInt32 = 0

    func run() throws {
        let source = try store.source()
        var docs: [DocumentRecord] = []
        var cursor: UInt32? = after
        // Page through the documents until `limit` of the kind are found.
        while docs.count < limit, let from = cursor {
            let (page, next) = try source.documents(after: from, kind: kind)
            docs += page.prefix(limit - docs.count)
            cursor = next
        }
        if store.json { return try printJSON(docs) }
        let rows = docs.map { d in
            [String(d.id), d.key, d.symbol, DocumentDate(packed: d.date)?.description ?? "", d.kind,
             String(d.paragraphCount), String(d.title.prefix(60))]
        }
        printTable(["id", "key", "symbol", "date", "kind", "paras", "title"], rows)
    }
}

/// `verbatim get KEY [N | N-M]`
struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a document's paragraphs: all, one (12) or a range (3-5).",
        discussion: "KEY is the document's symbol (any case) or key. Example: verbatim get L/3282 12")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Document symbol or key.") var key: String
    @Argument(help: "A paragraph number or range N-M; all paragraphs when absent.") var paragraphs: String?

    /// Checks the range before anything else, so that ArgumentParser's usage line names `get`.
    func validate() throws { _ = try paragraphs.map(parseRange) }

    func run() throws {
        let range = try paragraphs.map(parseRange)
        let source = try store.source()
        let doc = try source.document(key)
        let paras = try source.paragraphs(key: key, range: range)
        if store.json { return try printJSON(paras) }
        if let doc, range == nil { print(describe(doc)); print() }
        for p in paras { print(describe(p)); print() }
    }

    func parseRange(_ text: String) throws -> ClosedRange<Int> {
        let parts = text.split(whereSeparator: { "-\u{2013}\u{2014}".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), let a = Int(parts[0]), let b = Int(parts.last!) else {
            throw ValidationError("paragraphs must be a number or a range like 3-5, not \"\(text)\"")
        }
        guard a <= b else { throw ValidationError("range \(a)-\(b) is reversed") }
        guard a >= 1 else { throw ValidationError("paragraph numbers start at 1") }
        return a...b
    }
}

/// `verbatim speakers`
struct Speakers: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List speakers, most paragraphs first.")

    @OptionGroup var store: StoreOptions
    @Option(help: "At most this many.") var limit: Int = 50

    func run() throws {
        let all = try store.source().speakers()
            .sorted { ($0.paragraphCount, $1.id) > ($1.paragraphCount, $0.id) }.prefix(limit)
        if store.json { return try printJSON(Array(all)) }
        printTable(
            ["id", "name", "role", "affiliation", "docs", "paras"],
            all.map { [String($0.id), $0.name, String($0.role.prefix(40)), $0.affiliation, String($0.documentCount), String($0.paragraphCount)] })
    }
}

/// `verbatim speaker NAME`
struct SpeakerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speaker",
        abstract: "Show a speaker (found ignoring case and diacritics) and their paragraphs in date order.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "A name or alias: \"Antonio Guterres\", \"Mr. Guterres\".") var name: String
    @Option(help: "Show at most this many paragraphs per speaker.") var paragraphs: Int = 10

    func run() throws {
        let source = try store.source()
        let found = try source.findSpeakers(name).map { sp in
            (sp, try source.speakerParagraphs(speakerID: sp.id, limit: paragraphs))
        }
        guard !found.isEmpty else { throw CLIError("no speaker named \"\(name)\"") }
        if store.json {
            let parts = try found.map { sp, paras in
                "{\"speaker\":\(try sp.jsonString()),\"paragraphs\":[\(try paras.map { try $0.jsonString() }.joined(separator: ","))]}"
            }
            print("[" + parts.joined(separator: ",") + "]")
            return
        }
        for (sp, paras) in found {
            print("\(sp.name)  (speaker \(sp.id))")
            if !sp.role.isEmpty { print("  role:        \(sp.role)") }
            if !sp.affiliation.isEmpty { print("  affiliation: \(sp.affiliation)") }
            print("  aliases:     \(sp.aliases.map(\.text).joined(separator: "; "))")
            print("  documents:   \(sp.documentCount), paragraphs: \(sp.paragraphCount)")
            for p in paras { print("  \(p.citation)  \(DocumentDate(packed: p.date)?.description ?? "")  \(p.text.prefix(90))") }
            print()
        }
    }
}

/// `verbatim stats`
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Counts of documents, paragraphs and speakers, and sizes.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let source = try store.source()
        let st = try source.statistics()
        if store.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(st), as: UTF8.self))
            return
        }
        print("store:       \(source.location)")
        print("documents:   \(st.documents)")
        print("paragraphs:  \(st.paragraphs)")
        print("speakers:    \(st.speakers) (\(st.speakerNames) names and aliases)")
        print("citations:   \(st.citations) (paragraph → cited symbol)")
        print(String(format: "text:        %.1f MB", Double(st.textBytes) / 1_000_000))
        for (name, bytes) in st.databaseBytes.sorted(by: { $0.key < $1.key }) {
            print("  " + name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%9.1f MB", Double(bytes) / 1_000_000))
        }
    }
}

/// `verbatim verify`
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every index against the primary data; exits 1 when a problem is found.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        try store.refuseConnect("verify")
        let s = try store.openForReading()
        let problems = try s.verify()
        let st = try s.read { try $0.statistics() }
        if store.json {
            print("{\"ok\":\(problems.isEmpty),\"problems\":[\(problems.map { jsonQuoted($0.description) }.joined(separator: ","))]}")
        } else if problems.isEmpty {
            print("ok: \(st.documents) documents, \(st.paragraphs) paragraphs, \(st.speakers) speakers; every index agrees")
        } else {
            for p in problems { print(p) }
            print("\(problems.count) problem\(problems.count == 1 ? "" : "s") found")
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

// MARK: Output helpers

func describe(_ d: DocumentRecord) -> String {
    var lines = ["\(d.name)  \(d.title)"]
    var facts: [String] = ["key \(d.key)", "kind \(d.kind)", "\(d.paragraphCount) paragraphs"]
    if let date = DocumentDate(packed: d.date) { facts.append("date \(date)") }
    if !d.place.isEmpty { facts.append("place \(d.place)") }
    lines.append("  " + facts.joined(separator: ", "))
    if !d.headings.isEmpty { lines.append("  headings: " + d.headings.joined(separator: " | ")) }
    if !d.citedSymbols.isEmpty { lines.append("  cites: " + d.citedSymbols.joined(separator: ", ")) }
    return lines.joined(separator: "\n")
}

func describe(_ p: ParagraphRecord) -> String {
    var head = p.citation
    if p.hasSpeaker {
        var who = p.speaker.name
        let extra = [p.speaker.role, p.speaker.affiliation].filter { !$0.isEmpty }
        if !extra.isEmpty { who += " (" + extra.joined(separator: ", ") + ")" }
        head += "  " + who
    }
    if !p.heading.isEmpty { head += "  [\(p.heading)]" }
    return head + "\n" + p.text
}

func printJSON<M: SwiftProtobuf.Message>(_ records: [M]) throws {
    print("[" + (try records.map { try $0.jsonString() }).joined(separator: ",") + "]")
}

/// `s` as a JSON string, `/` unescaped as in the protobuf JSON around it.
func jsonQuoted(_ s: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return String(decoding: (try? encoder.encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
}

func printTable(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }
    print(line(header))
    for r in rows { print(line(r)) }
}
