import ArgumentParser

/// Benchmarks of the Verbatim store and daemon.
///
/// - `store`: in-process paragraph reads by (document, number) at random, beside a plain
///   C loop of `mdb_get` over the same keys in the same process.
/// - `store-open`: opening the store and reading its first paragraph (run it in a fresh
///   process; tools/bench-store.sh runs it several times and reports the median).
/// - `rpc`: a load generator for a running verbatimd (tools/bench-rpc.sh).
/// - `nio-floor`: a SwiftNIO server answering every Redis command with the same bytes, to
///   measure what SwiftNIO itself costs per request beside Redis and verbatimd.
/// - `export-paragraphs`: every paragraph as key, number, text (tools/bench-ingest.sh).
@main
struct VerbatimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verbatim-bench",
        abstract: "Benchmarks of the Verbatim store and daemon.",
        subcommands: [
            StoreBench.self, StoreOpenBench.self, QuoteBench.self, RpcBench.self, NioFloorBench.self, ExportParagraphsBench.self,
        ]
    )
}
