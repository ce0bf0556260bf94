import ArgumentParser
import Foundation
import Histogram
import NIOCore
import NIOPosix
import VerbatimProtocol
import VerbatimStore
import VerbatimWire

/// `verbatim-bench rpc`: a closed-loop load generator for a running verbatimd.
///
/// Every connection keeps up to --pipeline requests in flight; the frames are written by
/// hand (VerbatimWire's header, the request message encoded in place) on SwiftNIO event
/// loops, one flush per read burst. The keys are every (document, paragraph) of the store
/// at --db, read locally, chosen uniformly or by a Zipf law.
struct RpcBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Load a running verbatimd: throughput and p50/p99/p99.9 latency.",
        discussion: """
            Pipelining (--pipeline N): in `batch` mode (the default, as redis-benchmark -P) a \
            connection writes N requests, waits for all N answers, then writes the next N; \
            in `window` mode it writes a new request as soon as any answer completes. A \
            request's latency runs from the write of its batch (or of itself) to the read of \
            its STATUS frame; calls whose STATUS is not OK are counted as errors. Requests \
            written during --warmup seconds are not measured. --mix takes weights, like \
            get-paragraph=90,get-document=5,find-quote=5 (also resolve-citation, of KEY#N \
            for the chosen paragraph, and health). FindQuote asks for --quote-words \
            consecutive words of a paragraph chosen at random (4,096 of them). \
            With --redis the same client speaks RESP to a redis-server at --host/--port: \
            GET key:%012d, where the number is the index of the paragraph that would have been \
            asked for (tools/bench-rpc.sh loads one such key per paragraph), so that both \
            servers are measured by one client.
            """)

    @Option(help: "The daemon's address.") var host = "127.0.0.1"
    @Option(help: "The daemon's port.") var port = 7450
    @Option(help: "The store directory the daemon serves, read locally for its keys.") var db: String
    @Option(help: "Connections.") var connections = 1
    @Option(help: "Requests in flight per connection (1: no pipelining).") var pipeline = 1
    @Option(help: "batch (as redis-benchmark -P) or window.") var pipelineMode: PipelineMode = .batch
    @Option(help: "Measured seconds (after the warm-up).") var duration: Double = 10
    @Option(help: "Measured requests in all (split between connections); overrides --duration.") var requests: Int?
    @Option(help: "Warm-up seconds, not measured.") var warmup: Double = 2
    @Option(help: "Method weights, comma-separated name=weight.") var mix = "get-paragraph=100"
    @Option(help: "uniform or zipf.") var keys: KeyDistribution = .uniform
    @Option(help: "Zipf exponent (with --keys zipf).") var zipfExponent = 0.99
    @Option(help: "Event-loop threads of the client.") var threads = 1
    @Option(help: "Seed of the key and method choice.") var seed: UInt64 = 20_250_101
    @Option(help: "Words per FindQuote quotation.") var quoteWords = 8
    @Flag(help: "Speak RESP to a redis-server instead: GET key:%012d of the same key indexes (get-paragraph only).")
    var redis = false
    @Flag(help: "Print the median ParagraphAnswer size of the store's paragraphs (bytes) and their count, and exit.")
    var printKeyStats = false
    @Flag(
        help: ArgumentHelp(
            "Print SET commands for `redis-cli --pipe` and exit: key:%012d of each paragraph index holds its ParagraphAnswer.",
            discussion: "So that Redis serves the very bytes, of the very sizes, verbatimd answers with."))
    var printRedisLoad = false
    @Flag(help: "Print `KEY PARAGRAPHS` for each document with paragraphs, in key-index order (tools/lean-client.c reads it), and exit.")
    var printKeyFile = false
    @Flag(help: "Print JSON instead of text.") var json = false

    enum PipelineMode: String, ExpressibleByArgument, Sendable { case batch, window }
    enum KeyDistribution: String, ExpressibleByArgument, Sendable { case uniform, zipf }

    func validate() throws {
        guard connections >= 1, pipeline >= 1, pipeline <= 256 else {
            throw ValidationError("--connections must be positive and --pipeline 1...256 (the server's stream limit)")
        }
        guard duration > 0, warmup >= 0, threads >= 1 else { throw ValidationError("bad --duration, --warmup or --threads") }
        if let requests, requests < connections { throw ValidationError("--requests must be at least --connections") }
        let mix = try parseMix()
        if redis && mix.contains(where: { $0.0 != .getParagraph && $0.1 > 0 }) {
            throw ValidationError("--redis sends GET only: --mix must be get-paragraph alone")
        }
    }

    func parseMix() throws -> [(RpcMethod, Int)] {
        var out: [(RpcMethod, Int)] = []
        for part in mix.split(separator: ",") {
            let kv = part.split(separator: "=")
            guard kv.count == 2, let m = RpcMethod(rawValue: String(kv[0])), let w = Int(kv[1]), w >= 0 else {
                throw ValidationError("--mix takes name=weight pairs; names: \(RpcMethod.allCases.map(\.rawValue))")
            }
            out.append((m, w))
        }
        guard out.contains(where: { $0.1 > 0 }) else { throw ValidationError("--mix has no positive weight") }
        return out
    }

    func run() throws {
        if printRedisLoad { return try RpcKeys.printRedisLoad(db) }
        let keySet = try RpcKeys.load(db)
        if printKeyFile {
            for (key, count) in keySet.paragraphCounts() { print(String(decoding: key, as: UTF8.self), count) }
            return
        }
        if printKeyStats {
            print(keySet.medianAnswerBytes, keySet.paragraphs.count)
            return
        }
        var rng = SplitMix64(seed: seed)
        let sequence = keySet.sequence(count: 1 << 20, distribution: keys, exponent: zipfExponent, using: &rng)
        var methods: [RpcMethod] = []
        for (m, w) in try parseMix() { methods += Array(repeating: m, count: w) }
        let quotes = methods.contains(.findQuote) ? try keySet.quotes(db, words: quoteWords, using: &rng) : []
        let plan = RpcPlan(
            keys: keySet, sequence: sequence, quotes: quotes, methods: methods, pipeline: pipeline,
            window: pipelineMode == .window, redis: redis)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        defer { try? group.syncShutdownGracefully() }
        let cpuBefore = processCPUSeconds()

        // Connect every connection first; start them together.
        var channels: [(any Channel, EventLoopFuture<RpcConnectionResult>)] = []
        for i in 0..<connections {
            let loop = group.next()
            let promise = loop.makePromise(of: RpcConnectionResult.self)
            let perConnection = requests.map { $0 / connections + (i < $0 % connections ? 1 : 0) }
            let offset = sequence.count / connections * i
            let channel = try ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = RpcConnection(
                            plan: plan, offset: offset, seed: seed &+ UInt64(i), limit: perConnection,
                            promise: promise)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: host, port: port).wait()
            channels.append((channel, promise.futureResult))
        }
        let start = monotonicNanoseconds()
        let measureFrom = start + UInt64(warmup * 1e9)
        let until = requests == nil ? measureFrom + UInt64(duration * 1e9) : UInt64.max
        for (channel, _) in channels {
            channel.pipeline.fireUserInboundEventTriggered(RpcStart(measureFrom: measureFrom, until: until))
        }
        var total = RpcConnectionResult()
        for (_, future) in channels { total.add(try future.wait()) }
        for (channel, _) in channels { try? channel.close().wait() }
        let cpu = processCPUSeconds() - cpuBefore
        let wallAll = Double(monotonicNanoseconds() - start) / 1e9
        try report(total, clientCPU: cpu / wallAll)
    }

    func report(_ r: RpcConnectionResult, clientCPU: Double) throws {
        let seconds = Double(r.lastCompletion &- r.firstMeasuredSend) / 1e9
        let rate = seconds > 0 ? Double(r.measured) / seconds : 0
        func us(_ p: Double) -> Double { Double(r.histogram.valueAtPercentile(p)) / 1000 }
        if json {
            let out: [String: Any] = [
                "connections": connections, "pipeline": pipeline, "pipelineMode": pipelineMode.rawValue,
                "mix": mix, "keys": keys.rawValue, "requests": r.measured, "allRequests": r.completed, "errors": r.errors, "seconds": seconds,
                "requestsPerSecond": rate, "p50us": us(50), "p99us": us(99), "p999us": us(99.9),
                "maxus": Double(r.histogram.max) / 1000, "meanResponseBytes": r.responses > 0
                    ? Double(r.responseBytes) / Double(r.responses) : 0,
                "clientCPU": clientCPU,
            ]
            let data = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                String(
                    format: "%d conn, pipeline %d (%@), %@, keys %@: %.0f requests/s over %.1f s (%d requests, %d errors); "
                        + "latency p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs; mean response %.0f bytes; client CPU %.0f%%",
                    connections, pipeline, pipelineMode.rawValue, mix, keys.rawValue, rate, seconds, r.measured, r.errors,
                    us(50), us(99), us(99.9), Double(r.histogram.max) / 1000,
                    r.responses > 0 ? Double(r.responseBytes) / Double(r.responses) : 0, clientCPU * 100))
        }
        if r.errors > 0 { throw BenchError("\(r.errors) calls did not end with status OK (first: \(r.firstError ?? "?"))") }
    }
}

enum RpcMethod: String, CaseIterable, Sendable {
    case getParagraph = "get-paragraph"
    case getDocument = "get-document"
    case findQuote = "find-quote"
    case resolveCitation = "resolve-citation"
    case health

    var wire: Method {
        switch self {
        case .getParagraph: .getParagraph
        case .getDocument: .getDocument
        case .findQuote: .findQuote
        case .resolveCitation: .resolveCitation
        case .health: .health
        }
    }
}

/// The store's paragraph keys: document keys (UTF-8) and (document index, number) pairs.
struct RpcKeys: Sendable {
    var documents: [[UInt8]] = []
    var documentIDs: [UInt32] = []
    var paragraphs: [(document: UInt32, number: UInt32)] = []
    var medianAnswerBytes = 0

    static func load(_ path: String) throws -> RpcKeys {
        var keys = RpcKeys()
        var answerSizes: [Int] = []
        try forEachParagraph(path) { d, n, stored in
            if n == 1 {
                keys.documents.append(Array(d.key.utf8))
                keys.documentIDs.append(d.id)
            }
            keys.paragraphs.append((UInt32(keys.documents.count - 1), n))
            answerSizes.append(answerBytes(stored.count))
        }
        guard !keys.paragraphs.isEmpty else { throw BenchError("the store at \(path) has no paragraphs") }
        answerSizes.sort()
        keys.medianAnswerBytes = answerSizes[answerSizes.count / 2]
        return keys
    }

    /// Each document's key and its number of paragraphs, in key-index order.
    func paragraphCounts() -> [([UInt8], Int)] {
        var counts = [Int](repeating: 0, count: documents.count)
        for p in paragraphs { counts[Int(p.document)] += 1 }
        return Array(zip(documents, counts))
    }

    /// Calls `body` with each paragraph of the store at `path` and its stored bytes, in the
    /// order of the key indexes: documents as `Snapshot.documents()` lists them, paragraphs
    /// from 1.
    private static func forEachParagraph(
        _ path: String, _ body: (DocumentRecord, UInt32, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let store = try Store(path: path, options: .init(readOnly: true))
        try store.read { snap in
            for d in try snap.documents() where d.paragraphCount > 0 {
                for n in 1...d.paragraphCount {
                    guard try snap.withParagraphBytes(documentID: d.id, number: n, { span in
                        try span.withUnsafeBytes { try body(d, n, $0) }
                    }) != nil else { throw BenchError("paragraph \(d.key)#\(n) is missing") }
                }
            }
        }
    }

    /// The size of the ParagraphAnswer around `n` stored bytes: field 1's tag, its length
    /// as a varint, the bytes.
    private static func answerBytes(_ n: Int) -> Int {
        var size = 2 + n
        var v = n
        while v >= 0x80 {
            size += 1
            v >>= 7
        }
        return size
    }

    /// Writes to standard output, for `redis-cli --pipe`, one SET per paragraph: key:%012d
    /// of its index (as `--redis` asks for it) holding its ParagraphAnswer, the very bytes
    /// verbatimd answers GetParagraph with.
    static func printRedisLoad(_ path: String) throws {
        var out = ByteBuffer()
        out.reserveCapacity(2 << 20)
        var index = 0
        try forEachParagraph(path) { _, _, stored in
            let key = String(format: "key:%012d", index)
            out.writeString("*3\r\n$3\r\nSET\r\n$\(key.utf8.count)\r\n\(key)\r\n$\(answerBytes(stored.count))\r\n")
            out.writeInteger(UInt8(0x0A))  // field 1, paragraph
            out.writeVarint(UInt64(stored.count))
            out.writeBytes(stored)
            out.writeStaticString("\r\n")
            index += 1
            if out.readableBytes >= 1 << 20 {
                FileHandle.standardOutput.write(Data(out.readableBytesView))
                out.clear()
            }
        }
        FileHandle.standardOutput.write(Data(out.readableBytesView))
    }

    /// 4,096 quotations of `words` consecutive words of paragraphs chosen at random.
    func quotes(_ path: String, words: Int, using rng: inout SplitMix64) throws -> [[UInt8]] {
        let store = try Store(path: path, options: .init(readOnly: true))
        var out: [[UInt8]] = []
        try store.read { snap in
            for _ in 0..<100_000 where out.count < 4096 {
                let key = paragraphs[Int.random(in: 0..<paragraphs.count, using: &rng)]
                let id = documentIDs[Int(key.document)]
                guard let text = try snap.paragraph(documentID: id, number: key.number)?.text else { continue }
                let all = text.split(whereSeparator: \.isWhitespace)
                guard all.count >= words else { continue }
                let start = Int.random(in: 0...(all.count - words), using: &rng)
                out.append(Array(all[start..<(start + words)].joined(separator: " ").utf8))
            }
        }
        guard !out.isEmpty else { throw BenchError("no paragraph has \(words) words for FindQuote") }
        return out
    }

    /// Indexes into `paragraphs`: uniform, or Zipf over the keys in a shuffled order (so
    /// that the hot keys are spread over documents).
    func sequence(count: Int, distribution: RpcBench.KeyDistribution, exponent: Double, using rng: inout SplitMix64)
        -> [UInt32]
    {
        let n = paragraphs.count
        switch distribution {
        case .uniform:
            return (0..<count).map { _ in UInt32(Int.random(in: 0..<n, using: &rng)) }
        case .zipf:
            var order = Array(0..<UInt32(n))
            order.shuffle(using: &rng)
            var cdf = [Double](repeating: 0, count: n)
            var sum = 0.0
            for k in 0..<n {
                sum += 1 / pow(Double(k + 1), exponent)
                cdf[k] = sum
            }
            return (0..<count).map { _ in
                let u = Double.random(in: 0..<sum, using: &rng)
                var lo = 0
                var hi = n - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cdf[mid] < u { lo = mid + 1 } else { hi = mid }
                }
                return order[lo]
            }
        }
    }
}

/// What every connection shares (read-only).
final class RpcPlan: Sendable {
    let keys: RpcKeys
    let sequence: [UInt32]
    let quotes: [[UInt8]]
    let methods: [RpcMethod]
    let pipeline: Int
    let window: Bool
    /// RESP GET to a redis-server instead of the Verbatim protocol.
    let redis: Bool

    init(
        keys: RpcKeys, sequence: [UInt32], quotes: [[UInt8]], methods: [RpcMethod], pipeline: Int, window: Bool,
        redis: Bool
    ) {
        self.keys = keys
        self.sequence = sequence
        self.quotes = quotes
        self.methods = methods
        self.pipeline = pipeline
        self.window = window
        self.redis = redis
    }
}

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec)
        + Double(u.ru_stime.tv_usec) / 1e6
}
