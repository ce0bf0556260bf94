import ArgumentParser
import Foundation
import VerbatimModel
import VerbatimProtocol
import VerbatimStore

/// `verbatim-bench quote`: exact quote lookup in process, on quotations of 4, 8 and 16
/// words sampled from the store's paragraphs. Writes the paragraphs and the queries out
/// so that `tools/bench-quote.sh` runs the same queries as SQLite FTS5 phrase queries.
struct QuoteBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Exact quote lookup latency and throughput on quotations sampled from the store.",
        discussion: """
            Samples --queries quotations of each length (whitespace-separated words of a random \
            paragraph, at a random start), then runs each length --runs times in one thread: \
            findQuote with --limit: every match with its long citation and its stored record \
            (copied, not decoded; --decode also decodes each match's record in the timed \
            lookup, as an in-process caller reading every field would). Reports \
            p50/p99 latency and lookups per second of the last run, and checks each query found \
            its source paragraph. --export-paragraphs writes `ordinal<TAB>text` lines (text with \
            tabs and newlines as spaces) and --export-queries `length<TAB>words` lines, for FTS5. \
            Also reports the thread CPU time per lookup (which excludes time the core spent on \
            other processes) and, with --slowest N, the N slowest lookups of each length.
            """)

    @Option(help: "The store directory.") var db: String
    @Option(help: "Quotations per length.") var queries: Int = 2000
    @Option(help: "Quotation lengths in words, comma-separated.") var lengths: String = "4,8,16"
    @Option(help: "Timed runs per length (the last is reported; the first warms the cache).") var runs: Int = 3
    @Option(help: "At most this many matches per lookup.") var limit: Int = 20
    @Flag(help: "Also decode every match's paragraph (QuoteMatch.paragraph) in the timed lookup.")
    var decode = false
    @Option(help: "Seed of the sampling.") var seed: UInt64 = 20_180_628
    @Option(help: "Write the paragraphs here (for FTS5).") var exportParagraphs: String?
    @Option(help: "Write the queries here (for FTS5).") var exportQueries: String?
    @Option(help: "Print the N slowest lookups of each length (last run) with their list lengths and candidates.")
    var slowest: Int = 0

    /// CPU time of the calling thread: unlike wall time, not counting time other processes
    /// had the core (the machine is shared).
    static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    @Option(help: "Only look up this quotation, --queries times, and print its time per lookup (for profiling).")
    var quote: String?

    @Option(help: "With --quote: write this many MiB of other memory before each lookup, so that it finds the store's pages out of the CPU caches (0: no eviction).")
    var evictMib: Int = 0

    func run() throws {
        let store = try Store(path: db, options: .init(readOnly: true))
        if let quote {
            var cpu: [Double] = []
            var last: QuoteResults? = nil
            var evict = [UInt64](repeating: 0, count: evictMib << 17)
            for i in 0..<queries {
                for j in stride(from: 0, to: evict.count, by: 8) { evict[j] &+= UInt64(i) }
                let c0 = Self.threadCPUNanoseconds()
                last = try store.read { try $0.findQuote(QuoteQuery(quote, limit: limit)) }
                if decode { for m in last!.matches { _ = try m.paragraph } }
                cpu.append(Double(Self.threadCPUNanoseconds() - c0) / 1000)
            }
            cpu.sort()
            print(
                String(
                    format: "%@: %d matches, %d checked; thread CPU time per lookup: min %.1f µs, p50 %.1f µs",
                    quote, last?.matches.count ?? 0, last?.candidatesChecked ?? 0, cpu.first ?? 0, cpu[cpu.count / 2]))
            return
        }
        // All paragraph texts, in document order.
        var texts: [(citation: String, text: String)] = []
        try store.read { (snap: borrowing Snapshot) throws in
            var after: UInt32 = 0
            while true {
                let docs = try snap.documents(after: after, limit: 1000)
                guard let last = docs.last else { break }
                after = last.id
                for d in docs {
                    for p in try snap.paragraphs(key: d.name) { texts.append((p.citation, p.text)) }
                }
            }
        }
        if let path = exportParagraphs {
            var out = ""
            out.reserveCapacity(texts.reduce(0) { $0 + $1.text.utf8.count + 12 })
            for (i, t) in texts.enumerated() {
                out += String(i + 1) + "\t" + t.text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") + "\n"
            }
            try out.write(toFile: path, atomically: false, encoding: .utf8)
        }
        var rng = SplitMix64(seed: seed)
        let lengthList = lengths.split(separator: ",").compactMap { Int($0) }
        var exported = ""
        print("paragraphs: \(texts.count); quotations per length: \(queries); limit \(limit); runs \(runs)\(decode ? "; every match decoded" : "")")
        for n in lengthList {
            var sample: [(quote: String, citation: String)] = []
            while sample.count < queries {
                let t = texts[Int(rng.next() % UInt64(texts.count))]
                let words = t.text.split(whereSeparator: { $0.isWhitespace })
                guard words.count >= n else { continue }
                let start = Int(rng.next() % UInt64(words.count - n + 1))
                let quote = words[start..<(start + n)].joined(separator: " ")
                guard PhraseText(quote).words.count >= 2 else { continue }
                sample.append((quote, t.citation))
                let ftsWords = PhraseText(quote).words.map { r in
                    String(String.UnicodeScalarView(PhraseText(quote).scalars[Int(r.lowerBound)..<Int(r.upperBound)].compactMap(Unicode.Scalar.init)))
                }
                exported += String(n) + "\t" + ftsWords.joined(separator: " ") + "\n"
            }
            var latencies: [Double] = []
            var cpuTimes: [Double] = []
            var total = 0.0
            var missed = 0
            var matches = 0
            var checked = 0
            var lastRun: [(micros: Double, checked: Int, found: Int, quote: String)] = []
            var runP99: [Double] = []
            for run in 0..<runs {
                latencies.removeAll(keepingCapacity: true)
                cpuTimes.removeAll(keepingCapacity: true)
                let started = DispatchTime.now().uptimeNanoseconds
                for q in sample {
                    let c0 = Self.threadCPUNanoseconds()
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let found = try store.read { try $0.findQuote(QuoteQuery(q.quote, limit: limit)) }
                    if decode { for m in found.matches { _ = try m.paragraph } }
                    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
                    cpuTimes.append(Double(Self.threadCPUNanoseconds() - c0) / 1000)
                    if run == runs - 1 {
                        lastRun.append((latencies.last!, found.candidatesChecked, found.matches.count, q.quote))
                        matches += found.matches.count
                        checked += found.candidatesChecked
                        if try found.matches.count < limit && !(found.matches.contains(where: { try $0.paragraph.citation == q.citation })) {
                            missed += 1
                        }
                    }
                }
                total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                runP99.append(cpuTimes.sorted()[min(cpuTimes.count - 1, cpuTimes.count * 99 / 100)])
            }
            latencies.sort()
            cpuTimes.sort()
            func pct(_ p: Double, _ a: [Double] = latencies) -> Double { a[min(a.count - 1, Int(Double(a.count) * p))] }
            print(
                String(
                    format: "swift  %2d words: %7.0f lookups/s  p50 %6.1f µs  p99 %7.1f µs  max %8.1f µs  (%d matches, %d candidates checked, %d sources missed)",
                    n, Double(sample.count) / total, pct(0.50), pct(0.99), latencies.last ?? 0, matches, checked, missed))
            print(
                String(
                    format: "       thread CPU time per lookup: p50 %6.1f µs  p99 %7.1f µs  max %8.1f µs",
                    pct(0.50, cpuTimes), pct(0.99, cpuTimes), cpuTimes.last ?? 0))
            print("       thread CPU p99 of each run, µs: " + runP99.map { String(format: "%.1f", $0) }.joined(separator: ", "))
            let checks = lastRun.map(\.checked).sorted()
            print("       candidates checked per lookup: p50 \(checks[checks.count / 2]), p99 \(checks[checks.count * 99 / 100]), max \(checks.last ?? 0)")
            if slowest > 0 {
                print("  slowest: µs, checked, found, candidates (lists), candidates (masks), list lengths, quotation")
                for s in lastRun.sorted(by: { $0.micros > $1.micros }).prefix(slowest) {
                    let plan = try store.read { try $0.quotePlan(s.quote) }
                    print(
                        String(format: "  %8.1f %6d %4d %7d %6d  ", s.micros, s.checked, s.found, plan.candidates, plan.fitting)
                            + plan.listLengths.map(String.init).joined(separator: ",") + "  " + s.quote)
                }
            }
        }
        if let path = exportQueries { try exported.write(toFile: path, atomically: false, encoding: .utf8) }
        let st = try store.read { try $0.statistics() }
        let mb = { (name: String) in Double(st.databaseBytes[name] ?? 0) / 1e6 }
        print(
            String(
                format: "phrase index: %.1f MB (phrases %.1f, phrase_docs %.1f, phrase_spans %.1f) for %.1f MB of text",
                mb("phrases") + mb("phrase_docs") + mb("phrase_spans"), mb("phrases"), mb("phrase_docs"), mb("phrase_spans"),
                Double(st.textBytes) / 1e6))
    }
}
