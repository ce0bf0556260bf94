import ArgumentParser
import CLMDBBench
import Foundation
import VerbatimProtocol  // the record types VerbatimStore returns (a dependency of VerbatimStore)
import VerbatimStore

/// `verbatim-bench store`: paragraph reads by (document, number) at random, in process,
/// beside a plain C loop of `mdb_get` over the same keys, in one process.
///
/// The C loop and the Swift store never have the environment open at the same time
/// (LMDB forbids opening one environment twice in a process): every measurement is a
/// phase that opens, warms up, runs timed, and closes, and the phases alternate.
struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "In-process random paragraph reads: Swift store vs a plain C mdb_get loop.",
        discussion: """
            Variants, for each thread count, run alternately in every round:
              c-txn        C: mdb_get in one read transaction per thread
              swift-snap   Swift: one store.read per thread, withParagraphBytes per key
              swift-read   Swift: one store.read per paragraph (pooled renew/reset)
              c-renew      C: mdb_txn_renew / mdb_get / mdb_txn_reset per key
            Every read copies the value's bytes into a reused buffer. Each phase opens the
            environment, makes --warmups untimed passes over its keys, one timed pass, and
            closes it. The median of --runs rounds is reported, after --warmup-rounds
            untimed rounds.
            """
    )

    @Option(help: "The store directory (an LMDB environment).")
    var db: String

    @Option(help: "Random paragraph reads per run (split evenly between the threads).")
    var reads: Int = 2_000_000

    @Option(help: "Thread counts, comma-separated.")
    var threads: String = "1,2"

    @Option(help: "Seed of the key choice.")
    var seed: UInt64 = 20_240_917

    @Option(help: "Timed rounds per thread count; the median is reported.")
    var runs: Int = 5

    @Option(help: "Untimed rounds of every variant before the timed ones, per thread count.")
    var warmupRounds: Int = 1

    @Option(help: "Untimed passes over the keys in each phase before its timed pass.")
    var warmups: Int = 1

    @Option(help: "Variants to run, comma-separated (c-txn, swift-snap, swift-read, c-renew); all by default.")
    var variants: String = Variant.allCases.map(\.rawValue).joined(separator: ",")

    @Flag(
        inversion: .prefixedNo,
        help: "Have the C loop open every database of the store, as the store does (renew cost grows with them).")
    var cAllDatabases = true

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard reads > 0 else { throw ValidationError("--reads must be positive") }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard warmups >= 0, warmupRounds >= 0 else { throw ValidationError("warm-ups cannot be negative") }
        guard let counts = threadCounts, !counts.isEmpty, counts.allSatisfy({ $0 >= 1 && $0 <= 256 }) else {
            throw ValidationError("--threads takes positive counts separated by commas, like 1,2")
        }
        guard selectedVariants != nil else {
            throw ValidationError("--variants takes names from \(Variant.allCases.map(\.rawValue))")
        }
    }

    var threadCounts: [Int]? {
        let parts = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(where: { $0 == nil }) ? nil : parts.map { $0! }
    }

    var selectedVariants: [Variant]? {
        let vs = variants.split(separator: ",").map { Variant(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        return vs.isEmpty || vs.contains(where: { $0 == nil }) ? nil : Variant.allCases.filter { vs.contains($0) }
    }

    func run() throws {
        let corpus = try collectKeys(db)
        let databases = corpus.databases
        guard !corpus.keys.isEmpty else { throw ValidationError("the store at \(db) has no paragraphs") }
        var rng = SplitMix64(seed: seed)
        let picked = (0..<reads).map { _ in corpus.keys[Int.random(in: 0..<corpus.keys.count, using: &rng)] }
        let keysBE = picked.map { (UInt64($0.document) << 32 | UInt64($0.number)).bigEndian }
        let storeBytes = (try? FileManager.default.attributesOfItem(atPath: db + "/data.mdb")[.size] as? Int) ?? 0
        if !json {
            print(
                "store \(db): \(corpus.documents) documents, \(corpus.keys.count) paragraphs, "
                    + "data.mdb \(storeBytes / 1_000_000) MB")
            if cAllDatabases {
                print("the C loop opens the store's \(databases.count) databases, as the store does")
            }
            print(
                "\(reads) random reads (seed \(seed)), \(runs) timed rounds after \(warmupRounds) warm-up "
                    + "round(s); \(warmups) untimed pass(es) per phase")
        }

        var expected: Totals?
        var report = Report(
            db: db, documents: corpus.documents, paragraphs: corpus.keys.count, storeBytes: storeBytes,
            reads: reads, seed: seed, runs: runs, warmupRounds: warmupRounds, warmups: warmups,
            cDatabases: cAllDatabases ? databases : ["paras"], results: [])
        for t in threadCounts! {
            let slices = (0..<t).map { i in Array(picked[reads * i / t..<reads * (i + 1) / t]) }
            var samples: [Variant: [Sample]] = [:]
            for round in 0..<(warmupRounds + runs) {
                for v in selectedVariants! {
                    let s: Sample
                    switch v {
                    case .cTxn: s = try runC(keysBE, databases: databases, threads: t, mode: VB_BENCH_TXN_PER_THREAD)
                    case .swiftSnapshot: s = try runSwift(slices, perParagraph: false)
                    case .swiftRead: s = try runSwift(slices, perParagraph: true)
                    case .cRenew:
                        s = try runC(keysBE, databases: databases, threads: t, mode: VB_BENCH_RENEW_PER_READ)
                    }
                    // Every variant reads the same keys: the same bytes must come back.
                    guard s.found == UInt64(reads) else {
                        throw BenchError("\(v.rawValue) (\(t) threads) found \(s.found) of \(reads) keys")
                    }
                    if let e = expected, e != s.totals {
                        throw BenchError("\(v.rawValue) (\(t) threads): checksum \(s.totals) differs from \(e)")
                    }
                    expected = s.totals
                    if round >= warmupRounds { samples[v, default: []].append(s) }
                }
            }
            for v in selectedVariants! {
                let runs = samples[v]!
                let rates = runs.map { Double(reads) / (Double($0.elapsedNanoseconds) / 1e9) }
                let cpu = runs.map { Double($0.cpuNanoseconds) / Double(reads) }
                report.results.append(
                    .init(
                        variant: v.rawValue, threads: t, medianReadsPerSecond: median(rates),
                        runsReadsPerSecond: rates, medianCPUNanosecondsPerRead: median(cpu),
                        runsCPUNanosecondsPerRead: cpu, checksum: expected!.checksum))
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table())
        }
    }

    // MARK: Phases

    /// One C phase: open, warm up, one timed run, close.
    func runC(_ keysBE: [UInt64], databases: [String], threads: Int, mode: vb_bench_mode) throws -> Sample {
        var r = vb_bench_result()
        let names = (cAllDatabases ? databases : []).map { strdup($0) }
        defer { names.forEach { free($0) } }
        let rc = names.map { UnsafePointer($0) }.withUnsafeBufferPointer { names in
            keysBE.withUnsafeBytes { raw in
                vb_bench_mdb_get(
                    db, "paras", names.baseAddress, nil, Int32(names.count),
                    raw.baseAddress!.assumingMemoryBound(to: UInt8.self), keysBE.count, Int32(threads),
                    mode, Int32(warmups), &r)
            }
        }
        guard rc == 0 else { throw BenchError("C loop: \(String(cString: strerror(rc))) (code \(rc))") }
        return Sample(
            elapsedNanoseconds: r.elapsed_ns, cpuNanoseconds: r.cpu_ns,
            totals: Totals(checksum: r.checksum, sample: r.sample), found: r.found)
    }

    /// One Swift phase: open the store read-only, warm up, one timed run, close it.
    func runSwift(_ slices: [[ParagraphRef]], perParagraph: Bool) throws -> Sample {
        var store: Store? = try Store(path: db, options: .init(readOnly: true))
        weak var closed = store
        var sample = Sample()
        for _ in 0...warmups {
            sample = try swiftPass(store!, slices, perParagraph: perParagraph)
        }
        store = nil
        precondition(closed == nil, "the store is still open; the C phase cannot open the environment")
        return sample
    }

    /// One pass over the keys, one thread per slice.
    func swiftPass(_ store: Store, _ slices: [[ParagraphRef]], perParagraph: Bool) throws -> Sample {
        let outs = UnsafeMutablePointer<WorkerResult>.allocate(capacity: slices.count)
        outs.initialize(repeating: WorkerResult(), count: slices.count)
        defer { outs.deinitialize(count: slices.count); outs.deallocate() }
        onThreads(slices.count) { i in
            outs[i] =
                perParagraph
                ? readPerParagraph(store, slices[i]) : snapshotPerThread(store, slices[i])
        }
        var sample = Sample()
        var start = UInt64.max
        var end: UInt64 = 0
        for w in UnsafeBufferPointer(start: outs, count: slices.count) {
            if let e = w.error { throw BenchError("Swift read: \(e)") }
            start = min(start, w.start)
            end = max(end, w.end)
            sample.cpuNanoseconds &+= w.cpuEnd &- w.cpuStart
            sample.totals.checksum &+= w.copy.checksum
            sample.totals.sample &+= w.copy.sample
            sample.found &+= w.copy.found
        }
        sample.elapsedNanoseconds = end - start
        return sample
    }
}

// MARK: The Swift loops

/// Variant swift-snap: one snapshot for the whole slice.
func snapshotPerThread(_ store: Store, _ refs: [ParagraphRef]) -> WorkerResult {
    var out = WorkerResult()
    var buffer = CopyBuffer()
    defer { buffer.release() }
    out.cpuStart = vb_bench_thread_cpu_ns()
    out.start = vb_bench_now_ns()
    do {
        try store.read { snap in
            for r in refs {
                _ = try snap.withParagraphBytes(documentID: r.document, number: r.number) { buffer.copy($0) }
            }
        }
    } catch {
        out.error = "\(error)"
    }
    out.end = vb_bench_now_ns()
    out.cpuEnd = vb_bench_thread_cpu_ns()
    out.copy = buffer.totals
    return out
}

/// Variant swift-read: one `store.read` (a pooled transaction renewed and reset) per paragraph.
func readPerParagraph(_ store: Store, _ refs: [ParagraphRef]) -> WorkerResult {
    var out = WorkerResult()
    var buffer = CopyBuffer()
    defer { buffer.release() }
    out.cpuStart = vb_bench_thread_cpu_ns()
    out.start = vb_bench_now_ns()
    do {
        for r in refs {
            _ = try store.read { snap in
                try snap.withParagraphBytes(documentID: r.document, number: r.number) { buffer.copy($0) }
            }
        }
    } catch {
        out.error = "\(error)"
    }
    out.end = vb_bench_now_ns()
    out.cpuEnd = vb_bench_thread_cpu_ns()
    out.copy = buffer.totals
    return out
}

/// A buffer reused for every value, as a server copies each value into its response.
struct CopyBuffer {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    var totals = CopyTotals()

    init() {
        capacity = 65536
        base = .allocate(byteCount: capacity, alignment: 16)
    }

    func release() { base.deallocate() }

    @inline(__always)
    mutating func copy(_ span: RawSpan) {
        span.withUnsafeBytes { src in
            let n = src.count
            if n > capacity { grow(to: n) }
            if n > 0 {
                base.copyMemory(from: src.baseAddress!, byteCount: n)
                totals.sample &+= UInt64(base.load(fromByteOffset: n - 1, as: UInt8.self))
            }
            totals.checksum &+= UInt64(n)
            totals.found &+= 1
        }
    }

    private mutating func grow(to n: Int) {
        var c = capacity
        while c < n { c *= 2 }
        base.deallocate()
        base = .allocate(byteCount: c, alignment: 16)
        capacity = c
    }
}

// MARK: Keys

struct ParagraphRef: Sendable {
    var document: UInt32
    var number: UInt32
}

/// Every paragraph key of the store, from its documents' paragraph counts, and the names
/// of the databases the store opens.
func collectKeys(_ path: String) throws -> (documents: Int, keys: [ParagraphRef], databases: [String]) {
    let store = try Store(path: path, options: .init(readOnly: true))
    return try store.read { snap in
        let docs = try snap.documents()
        var keys: [ParagraphRef] = []
        for d in docs where d.paragraphCount > 0 {
            for n in 1...d.paragraphCount { keys.append(ParagraphRef(document: d.id, number: n)) }
        }
        return (docs.count, keys, try snap.statistics().databaseBytes.keys.sorted())
    }
}

// MARK: Results

enum Variant: String, CaseIterable, Hashable {
    case cTxn = "c-txn"
    case swiftSnapshot = "swift-snap"
    case swiftRead = "swift-read"
    case cRenew = "c-renew"

    var label: String {
        switch self {
        case .cTxn: "C mdb_get, one txn per thread"
        case .swiftSnapshot: "Swift, one store.read per thread"
        case .swiftRead: "Swift, one store.read per paragraph"
        case .cRenew: "C mdb_get, txn renew/reset per read"
        }
    }

    /// The C loop with the same use of transactions.
    var cPeer: Variant {
        switch self {
        case .cTxn, .swiftSnapshot: .cTxn
        case .cRenew, .swiftRead: .cRenew
        }
    }
}

struct CopyTotals {
    var checksum: UInt64 = 0
    var sample: UInt64 = 0
    var found: UInt64 = 0
}

struct WorkerResult {
    var start: UInt64 = 0
    var end: UInt64 = 0
    var cpuStart: UInt64 = 0
    var cpuEnd: UInt64 = 0
    var copy = CopyTotals()
    var error: String?
}

struct Totals: Equatable, CustomStringConvertible {
    var checksum: UInt64
    var sample: UInt64
    var description: String { "(bytes \(checksum), last-byte sum \(sample))" }
}

struct Sample {
    var elapsedNanoseconds: UInt64 = 0
    /// CPU time of the reading threads, summed.
    var cpuNanoseconds: UInt64 = 0
    var totals = Totals(checksum: 0, sample: 0)
    var found: UInt64 = 0
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

struct Report: Encodable {
    var db: String
    var documents: Int
    var paragraphs: Int
    var storeBytes: Int
    var reads: Int
    var seed: UInt64
    var runs: Int
    var warmupRounds: Int
    var warmups: Int
    var cDatabases: [String]
    var results: [Result]

    struct Result: Encodable {
        var variant: String
        var threads: Int
        /// Reads over wall time, earliest thread start to latest thread end.
        var medianReadsPerSecond: Double
        var runsReadsPerSecond: [Double]
        /// CPU time of the reading threads (summed) per read.
        var medianCPUNanosecondsPerRead: Double
        var runsCPUNanosecondsPerRead: [Double]
        /// Sum of the value sizes read: the same for every variant.
        var checksum: UInt64
    }

    func result(_ v: Variant, _ threads: Int) -> Result? {
        results.first { $0.variant == v.rawValue && $0.threads == threads }
    }

    /// A Markdown table. Ratios are Swift over C: of reads per second by wall time, and of
    /// reads per CPU second (C's CPU ns per read over Swift's).
    func table() -> String {
        func rate(_ r: Double) -> String { String(format: "%.2f", r / 1e6) }
        func pct(_ x: Double?) -> String { x.map { String(format: "%.0f%%", $0 * 100) } ?? "" }
        var lines = [
            "| threads | variant | reads/s, median (M) | runs min–max (M) | CPU ns/read "
                + "| Swift/C wall (vs C txn/thread) | Swift/C wall (vs C same txn use) | Swift/C CPU (same txn use) |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results {
            let v = Variant(rawValue: r.variant)!
            let isSwift = v == .swiftSnapshot || v == .swiftRead
            let c = result(.cTxn, r.threads)
            let peer = result(v.cPeer, r.threads)
            lines.append(
                "| \(r.threads) | \(v.label) | \(rate(r.medianReadsPerSecond)) | "
                    + "\(rate(r.runsReadsPerSecond.min()!))–\(rate(r.runsReadsPerSecond.max()!)) | "
                    + String(format: "%.0f", r.medianCPUNanosecondsPerRead) + " | "
                    + (isSwift
                        ? "\(pct(c.map { r.medianReadsPerSecond / $0.medianReadsPerSecond })) | "
                            + "\(pct(peer.map { r.medianReadsPerSecond / $0.medianReadsPerSecond })) | "
                            + "\(pct(peer.map { $0.medianCPUNanosecondsPerRead / r.medianCPUNanosecondsPerRead })) |"
                        : " |  |  |"))
        }
        let bytes = results.first.map { Double($0.checksum) / Double(reads) } ?? 0
        lines.append("")
        lines.append(
            "checksums equal across all variants and runs: \(results.first?.checksum ?? 0) bytes "
                + String(format: "(%.0f bytes per paragraph on average)", bytes))
        return lines.joined(separator: "\n")
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
