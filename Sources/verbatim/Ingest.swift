import ArgumentParser
import Foundation
import VerbatimIngest
import VerbatimModel
import VerbatimStore

/// `verbatim ingest PATH…`
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add documents from files, folders (recursively) or standard input (-).",
        discussion: """
            Formats: .txt files are parsed as text; .jsonl and .jsonl.gz as JSON Lines, one \
            document per line (docs/OPERATIONS.md). Standard input is text unless --format jsonl. \
            Each document is stored in one transaction: a re-ingested unchanged document is left \
            untouched, a changed one replaces the old version. Exits 1 if any input was rejected.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Input format: auto (by extension), text or jsonl.")
    var format: InputFormat = .auto

    @Option(help: "Key for the one text document given (a file or -); it overrides the symbol as key.")
    var key: String?

    @Flag(help: "Do not show progress, even on a terminal.")
    var quiet = false

    @Argument(help: "Files, folders, or - for standard input.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file, folder or -") }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        if key != nil {
            var isDir: ObjCBool = false
            let folder = paths.contains { FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && isDir.boolValue }
            if paths.count > 1 || folder || format == .jsonl {
                throw ValidationError("--key names one text document: give exactly one file or -")
            }
        }
    }

    func run() throws {
        try self.store.refuseConnect("ingest")
        let sources = IngestSources(paths: paths, format: format, key: key)
        let store = try self.store.openForWriting(deferSync: true)
        let summary = IngestSummary()
        let progress = Progress(enabled: !quiet && !self.store.json && isatty(STDERR_FILENO) == 1)
        // Parse on one thread while this one writes: the two halves take similar time.
        let queue = BoundedQueue<IngestItem>(capacity: 256)
        let explicit = Set(paths)
        let reader = Thread {
            sources.read(explicitFiles: explicit) { queue.push($0) }
            queue.finish()
        }
        reader.stackSize = 8 << 20
        reader.start()
        var seen: [String: String] = [:]  // folded key or symbol → first source in this run
        // Documents are committed in batches (one transaction, each document in a nested
        // one, all or nothing per document): the phrase index's pages are written once per
        // batch instead of once per document.
        var pending: [(document: Document, source: String, bytes: Int)] = []
        var pendingBytes = 0
        func flush() {
            guard !pending.isEmpty else { return }
            do {
                let results = try store.ingest(batch: pending.map { ($0.document, $0.source) })
                for (item, result) in zip(pending, results) {
                    switch result {
                    case .success(let outcome):
                        summary.record(outcome, paragraphs: item.document.paragraphs.count, bytes: item.bytes)
                    case .failure(let error):
                        summary.reject(source: item.source, reason: error.message)
                    }
                }
            } catch {
                for item in pending { summary.reject(source: item.source, reason: error.message) }
            }
            pending.removeAll()
            pendingBytes = 0
            progress.update(summary)
        }
        while let item = queue.pop() {
            switch item {
            case .document(let doc, let source, let bytes):
                let names = [doc.key] + (doc.symbol.map { [$0] } ?? [])
                if let (name, first) = names.lazy.compactMap({ n in seen[Folding.symbol(n)].map { (n, $0) } }).first {
                    // Name what collided: the key, or the symbol when only that is shared.
                    let what = name == doc.key ? "key" : "symbol"
                    summary.duplicate(source: source, reason: "same \(what) \(name) as \(first)")
                    continue
                }
                for n in names { seen[Folding.symbol(n)] = source }
                pending.append((doc, source, bytes))
                pendingBytes += bytes
                if pending.count >= 256 || pendingBytes >= 32 << 20 { flush() }
            case .rejected(let source, let reason):
                summary.reject(source: source, reason: reason)
            case .skipped(let source, let reason):
                summary.skip(source: source, reason: reason)
            }
            progress.update(summary)
        }
        flush()
        try store.sync()
        progress.finish()
        if self.store.json {
            print(try summary.json())
        } else {
            print(summary.text(store: self.store.path))
        }
        if summary.rejected.count > 0 { throw ExitCode(1) }
    }
}

extension InputFormat: ExpressibleByArgument {}

/// Counts and reasons collected during one ingest run.
final class IngestSummary {
    var added = 0
    var replaced = 0
    var unchanged = 0
    var paragraphs = 0
    var bytes = 0
    var duplicates: [(source: String, reason: String)] = []
    var rejected: [(source: String, reason: String)] = []
    var skipped: [(source: String, reason: String)] = []
    let started = Date()

    var documents: Int { added + replaced + unchanged }
    var handled: Int { documents + duplicates.count + rejected.count }

    func record(_ outcome: IngestOutcome, paragraphs: Int, bytes: Int) {
        switch outcome {
        case .added: added += 1
        case .replaced: replaced += 1
        case .unchanged: unchanged += 1
        }
        self.paragraphs += paragraphs
        self.bytes += bytes
    }

    func reject(source: String, reason: String) { rejected.append((source, reason)) }
    func duplicate(source: String, reason: String) { duplicates.append((source, reason)) }
    func skip(source: String, reason: String) { skipped.append((source, reason)) }

    func text(store: String) -> String {
        let seconds = Date().timeIntervalSince(started)
        let mb = Double(bytes) / 1_000_000
        var lines = [
            String(
                format: "%d documents (%d paragraphs, %.1f MB) in %.1f s: %.0f documents/s, %.1f MB/s, into %@",
                documents, paragraphs, mb, seconds, Double(documents) / max(seconds, 0.001), mb / max(seconds, 0.001),
                store),
            "  added      \(added)",
            "  replaced   \(replaced)",
            "  unchanged  \(unchanged)",
            "  duplicate  \(duplicates.count)" + (duplicates.isEmpty ? "" : "  (same key as an earlier input of this run; skipped)"),
            "  rejected   \(rejected.count)",
        ]
        if !skipped.isEmpty { lines.append("  skipped    \(skipped.count)  (not a document format)") }
        for (source, reason) in duplicates.prefix(20) { lines.append("duplicate: \(source): \(reason)") }
        if duplicates.count > 20 { lines.append("duplicate: … and \(duplicates.count - 20) more") }
        for (source, reason) in rejected { lines.append("rejected: \(source): \(reason)") }
        for (source, reason) in skipped { lines.append("skipped: \(source): \(reason)") }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        struct Entry: Encodable { var source: String; var reason: String }
        struct Out: Encodable {
            var added, replaced, unchanged, paragraphs, bytes: Int
            var seconds: Double
            var duplicates, rejected, skipped: [Entry]
        }
        let out = Out(
            added: added, replaced: replaced, unchanged: unchanged, paragraphs: paragraphs, bytes: bytes,
            seconds: Date().timeIntervalSince(started),
            duplicates: duplicates.map { Entry(source: $0.source, reason: $0.reason) },
            rejected: rejected.map { Entry(source: $0.source, reason: $0.reason) },
            skipped: skipped.map { Entry(source: $0.source, reason: $0.reason) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(out), as: UTF8.self)
    }
}

/// A one-line progress display on standard error, redrawn at most 5 times a second.
final class Progress {
    let enabled: Bool
    private var last = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ s: IngestSummary) {
        guard enabled, Date().timeIntervalSince(last) > 0.2 else { return }
        last = Date()
        let seconds = Date().timeIntervalSince(s.started)
        let line = String(
            format: "\r%7d documents  %6.1f MB  %5.0f docs/s  added %d  replaced %d  unchanged %d  rejected %d ",
            s.handled, Double(s.bytes) / 1_000_000, Double(s.handled) / max(seconds, 0.001), s.added, s.replaced,
            s.unchanged, s.rejected.count)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
