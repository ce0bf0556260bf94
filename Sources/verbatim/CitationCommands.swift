import ArgumentParser
import Foundation
import SwiftProtobuf
import VerbatimModel
import VerbatimProtocol
import VerbatimStore

/// `verbatim cite REF`
struct Cite: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resolve a reference: a document, a paragraph or a range (docs/CITATIONS.md).",
        discussion: """
            Examples: verbatim cite "L/3282 ¶12"; verbatim cite "L/3282 para 12"; verbatim cite L/3282#3-5; \
            verbatim cite "UNGDC:USA_78_2023#4". Each paragraph is printed with its short and long citation.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The reference, e.g. \"L/3282 ¶12\" (quote it in the shell).") var reference: [String]

    func run() throws {
        let r = try store.source().resolve(reference.joined(separator: " "))
        if store.json {
            print(
                "{\"citation\":\(jsonQuoted(r.citation)),\"long_citation\":\(jsonQuoted(r.longCitation)),"
                    + "\"document\":\(try r.document.jsonString()),"
                    + "\"paragraphs\":[\(try r.paragraphs.map { try $0.jsonString() }.joined(separator: ","))]}")
            return
        }
        print(r.longCitation)
        print()
        for p in r.paragraphs {
            print(describe(p))
            print("  \(p.longCitation)")
            print()
        }
    }
}

/// `verbatim quote TEXT`
struct Quote: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the paragraphs that contain a quotation (2 words or more).",
        discussion: """
            Matching ignores case, quote-mark, apostrophe and dash variants and white space. \
            --near also finds the quotation with one word dropped, added or changed, closest first. \
            Offsets are Unicode scalar offsets into the stored paragraph text.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The quotation.") var text: [String]
    @Flag(help: "Tolerate one word dropped, added or changed.") var near = false
    @Option(help: "Only paragraphs of this speaker (name or alias).") var speaker: String?
    @Option(help: "Only paragraphs of this document (key or symbol).") var doc: String?
    @Option(help: "Only documents dated on or after this date (2018, 2018-06, 2018-06-28).") var from: String?
    @Option(help: "Only documents dated on or before this date.") var to: String?
    @Option(help: "At most this many paragraphs.") var limit: Int = 20
    @Option(help: "Continue after a previous page (the token it printed).") var page: String?

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000, not \(limit)") }
        // Blank filters would mean "no filter" through the daemon (an empty proto field) but
        // "nothing matches" on the store: refused on both.
        for (name, value) in [("--speaker", speaker), ("--doc", doc), ("--page", page)] {
            if let value, value.allSatisfy(\.isWhitespace) { throw ValidationError("\(name) must not be blank") }
        }
    }

    func run() throws {
        let source = try store.source()
        var query = QuoteQuery(
            text.joined(separator: " "), near: near, speaker: speaker, document: doc, limit: limit, pageToken: page)
        query.dates = try dateRange(from: from, to: to)
        let found = try source.findQuote(query)
        if store.json {
            let items = try found.matches.map { m in
                "{\"paragraph\":\(try m.paragraph.jsonString()),\"distance\":\(m.distance),\"ranges\":["
                    + m.ranges.map { "[\($0.lowerBound),\($0.upperBound)]" }.joined(separator: ",") + "]}"
            }
            let next = found.nextPageToken.map(jsonQuoted) ?? "null"
            print("{\"matches\":[\(items.joined(separator: ","))],\"next_page_token\":\(next)}")
            return
        }
        if found.matches.isEmpty { print("no paragraph contains \"\(query.text)\"") }
        for m in found.matches {
            let paragraph = try m.paragraph
            let scalars = Array(paragraph.text.unicodeScalars)
            var shown: [String] = []
            for r in m.ranges {
                let lo = max(0, r.lowerBound - 40)
                let hi = min(scalars.count, r.upperBound + 40)
                func str(_ a: Int, _ b: Int) -> String {
                    var v = String.UnicodeScalarView()
                    v.append(contentsOf: scalars[a..<b])
                    return String(v)
                }
                shown.append(
                    (lo > 0 ? "…" : "") + str(lo, r.lowerBound) + "[" + str(r.lowerBound, r.upperBound) + "]"
                        + str(r.upperBound, hi) + (hi < scalars.count ? "…" : ""))
            }
            let distance = near ? "  (distance \(m.distance))" : ""
            print("\(paragraph.citation)  offsets \(m.ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", "))\(distance)")
            print("  \(paragraph.longCitation)")
            for t in shown { print("  \(t)") }
            print()
        }
        if let next = found.nextPageToken { print("more: --page \(next)") }
    }
}

/// `verbatim cited-by SYMBOL`
struct CitedByCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cited-by",
        abstract: "List the paragraphs that mention a document symbol (GA/12035, A/RES/70/1, resolution 2374 (2017)).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The cited symbol.") var symbol: [String]
    @Option(help: "At most this many paragraphs.") var limit: Int = 1000

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1, not \(limit)") }
        guard !symbol.joined().allSatisfy(\.isWhitespace) else { throw ValidationError("the symbol is empty") }
    }

    func run() throws {
        let r = try store.source().citedBy(symbol.joined(separator: " "), limit: limit)
        if store.json {
            let doc = try r.document.map { try $0.jsonString() } ?? "null"
            print(
                "{\"symbol\":\(jsonQuoted(r.symbol)),\"document\":\(doc),"
                    + "\"citing\":[\(try r.citing.map { try $0.jsonString() }.joined(separator: ","))]}")
            return
        }
        print("\(r.symbol): \(r.citing.count) citing paragraph\(r.citing.count == 1 ? "" : "s")"
            + (r.document.map { "; in the store as \($0.key)" } ?? "; not in the store"))
        for p in r.citing { print("  \(p.citation)  \(p.longCitation)") }
    }
}

/// `verbatim refs KEY`
struct Refs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the document symbols a document cites, with the citing paragraphs.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Document symbol or key.") var key: [String]

    func run() throws {
        let key = self.key.joined(separator: " ")
        let refs = try store.source().references(ofDocument: key)
        if store.json {
            let items = refs.map { r in
                "{\"symbol\":\(jsonQuoted(r.symbol)),\"paragraphs\":[\(r.paragraphs.map(String.init).joined(separator: ","))],"
                    + "\"citations\":[\(r.citations.map(jsonQuoted).joined(separator: ","))],"
                    + "\"document_key\":\(r.documentKey.map(jsonQuoted) ?? "null")}"
            }
            print("[" + items.joined(separator: ",") + "]")
            return
        }
        if refs.isEmpty { return print("\(key) cites no document symbol") }
        printTable(
            ["symbol", "paragraphs", "in store"],
            refs.map { [$0.symbol, $0.citations.joined(separator: ", "), $0.documentKey ?? "-"] })
    }
}

/// `yyyy[-mm[-dd]]` bounds as packed dates: `from` at the start of its period, `to` at its end.
func dateRange(from: String?, to: String?) throws -> ClosedRange<UInt32>? {
    guard from != nil || to != nil else { return nil }
    func parse(_ s: String) throws -> DocumentDate {
        guard let d = DocumentDate(parsing: s) else { throw CLIError("not a date: \"\(s)\" (use 2018, 2018-06 or 2018-06-28)") }
        return d
    }
    let lo = try from.map { try parse($0).packed } ?? 0
    var hi = UInt32.max
    if let to {
        let d = try parse(to)
        hi = UInt32(d.year * 10_000 + (d.month ?? 12) * 100 + (d.day ?? 99))
    }
    guard lo <= hi else { throw CLIError("--from \(from ?? "") is after --to \(to ?? "")") }
    return lo...hi
}
