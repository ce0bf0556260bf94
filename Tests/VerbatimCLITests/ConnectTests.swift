import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Testing
import VerbatimTesting

/// The read commands through a real `verbatimd` (`--connect`), against the same commands on
/// the store itself.
@Suite("--connect: read commands through the daemon", .timeLimit(.minutes(2)))
struct ConnectTests {
    let store: TestStore
    let daemon: Daemon

    /// The samples, and the shared seeds when present, served by a daemon.
    init() throws {
        store = TestStore()
        let seeds = TestPaths.hasShared ? [TestPaths.shared + "/seeds"] : []
        let r = try store.ingest([Samples.folder] + seeds)
        try #require(r.status == 0, "\(r)")
        daemon = try Daemon(store: store.path)
    }

    /// `verbatim args… --connect <the daemon>`.
    func remote(_ args: [String], environment: [String: String] = CLI.baseEnvironment) throws -> CLI.Result {
        try CLI.run(args + ["--connect", daemon.address], environment: environment)
    }

    /// Command lines whose output must not depend on the source.
    static let readCommands: [[String]] = {
        var lines: [[String]] = [
            ["docs"], ["docs", "--json"], ["docs", "--kind", "remarks"], ["docs", "--kind", "Remarks", "--json"],
            ["docs", "--after", "2", "--limit", "3", "--json"], ["docs", "--limit", "0"],
            ["get", "VB/1001", "2"], ["get", "vb/1001", "2-3"], ["get", "vb/1001", "2-3", "--json"],
            ["get", "VB/SM/7"], ["get", "VB/SM/7", "--json"], ["get", "vb-dsg-remarks-2024-03-04", "1"],
            ["speakers"], ["speakers", "--json"], ["speakers", "--limit", "2"],
            ["speaker", "antonio guterres"], ["speaker", "António Guterres", "--json"],
            ["speaker", "Guterres", "--paragraphs", "1"], ["speaker", "Maria Oliveira", "--paragraphs", "0", "--json"],
            ["stats", "--json"],
            ["cite", "VB/1001 ¶2"], ["cite", "vb/1001#2-3", "--json"], ["cite", "VB/1001", "para", "4"],
            ["cite", "VB/SM/7"], ["cite", "VB/SM/7", "--json"],
            ["quote", "cannot be cited"], ["quote", "cannot be cited", "--json"], ["quote", "--near", "cannot be citd"],
            ["quote", "--near", "cannot be citd", "--json"], ["quote", "cannot be cited", "--limit", "1"],
            ["quote", "cannot be cited", "--limit", "1", "--page", "e2", "--json"],
            ["quote", "cannot be cited", "--speaker", "maria oliveira"], ["quote", "record", "that", "--to", "2024-12"],
            ["quote", "cannot be cited", "--doc", "VB/PV.3"],
            ["cited-by", "vb/sm/7"], ["cited-by", "VB/SM/7", "--json"], ["cited-by", "ZZ/1", "--json"],
            ["cited-by", "resolution", "1234", "(2020)", "--limit", "1"],
            ["refs", "VB/1001"], ["refs", "VB/PV.3", "--json"], ["refs", "SAMPLE:SWE_79_2024"],
        ]
        if TestPaths.hasShared {
            lines += [
                ["get", "L/3282", "4", "--json"], ["get", "l/3282"], ["get", "L/3282", "10-12"],
                ["speaker", "Mr. Sauer", "--paragraphs", "2"], ["speaker", "Antonio Guterres", "--json"],
                ["docs", "--kind", "meeting-coverage"], ["cite", "L/3282 ¶12"], ["cite", "L/3282#3-5", "--json"],
                ["quote", "--near", "we must work together", "--json"], ["cited-by", "GA/12035"],
                ["refs", "L/3282", "--json"],
            ]
        }
        return lines
    }()

    @Test("each read command prints the same bytes through the daemon as on the store", arguments: readCommands)
    func sameOutput(_ args: [String]) throws {
        let local = try store.run(args)
        let remote = try remote(args)
        #expect(local.status == 0, "\(local)")
        #expect(!local.stdout.isEmpty, "\(local)")
        #expect(remote.status == local.status, "\(remote)")
        #expect(remote.stdout == local.stdout, "local:\n\(local)\nremote:\n\(remote)")
        #expect(remote.stderr.isEmpty, "\(remote)")
    }

    /// Failing command lines, with the store's own message.
    static let failingCommands: [(args: [String], error: String)] = [
        (["get", "VB/9999"], "Error: unknown document \"VB/9999\""),
        (["get", "VB/9999", "2-3", "--json"], "Error: unknown document \"VB/9999\""),
        (["get", "  ", "1"], "Error: unknown document \"  \""),
        (["get", "VB/1001", "99"], "Error: paragraph 99 is past the end of VB/1001 (9 paragraphs)"),
        (["get", "vb/1001", "8-12"], "Error: paragraph 12 is past the end of VB/1001 (9 paragraphs)"),
        (["speaker", "Nobody Atall"], "Error: no speaker named \"Nobody Atall\""),
        (["cite", "L/9999"], "Error: unknown document \"L/9999\""),
        (["cite", "VB/1001 ¶5-3"], "Error: range 5-3 is reversed"),
        (["cite", "VB/1001#40", "--json"], "Error: paragraph 40 is past the end of VB/1001 (9 paragraphs)"),
        (["quote", "word"], "Error: a quotation needs at least 2 words; \"word\" has 1"),
        (["quote", "cannot be cited", "--doc", "X/1"], "Error: unknown document \"X/1\""),
        (["quote", "cannot be cited", "--speaker", "Nobody Atall"], "Error: no speaker named \"Nobody Atall\""),
        (["quote", "cannot be cited", "--page", "x"], "Error: bad page token \"x\" for an exact lookup"),
        (["refs", "L/9999"], "Error: unknown document \"L/9999\""),
    ]

    @Test("a failing read prints the store's one-line error through the daemon too", arguments: failingCommands)
    func sameError(_ args: [String], error: String) throws {
        let local = try store.run(args)
        let remote = try remote(args)
        #expect(local.status == 1, "\(local)")
        #expect(local.errorLines == [error], "\(local)")
        #expect(remote.status == 1, "\(remote)")
        #expect(remote.errorLines == [error], "\(remote)")
        #expect(remote.stdout.isEmpty, "\(remote)")
    }

    @Test("stats names the daemon instead of the store path; every other line is the same")
    func statsText() throws {
        let local = try store.run(["stats"])
        let remote = try remote(["stats"])
        #expect(local.status == 0 && remote.status == 0, "\(local)\n\(remote)")
        let l = local.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let r = remote.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(l.first == "store:       \(store.path)")
        #expect(r.first == "store:       verbatimd at \(daemon.address)")
        #expect(l.count > 5)
        #expect(r.dropFirst() == l.dropFirst(), "\(local)\n\(remote)")
    }

    @Test("VERBATIM_CONNECT sends reads to the daemon; an explicit --db wins over it")
    func environmentVariable() throws {
        var env = CLI.baseEnvironment
        env["VERBATIM_CONNECT"] = daemon.address
        let viaEnv = try CLI.run(["stats"], environment: env)
        #expect(viaEnv.status == 0, "\(viaEnv)")
        #expect(viaEnv.stdout.hasPrefix("store:       verbatimd at \(daemon.address)\n"), "\(viaEnv)")
        let withDB = try CLI.run(["stats", "--db", store.path], environment: env)
        #expect(withDB.status == 0, "\(withDB)")
        #expect(withDB.stdout.hasPrefix("store:       \(store.path)\n"), "\(withDB)")
        let getEnv = try CLI.run(["get", "VB/1001", "2-3", "--json"], environment: env)
        #expect(getEnv.stdout == (try store.run(["get", "VB/1001", "2-3", "--json"])).stdout, "\(getEnv)")
    }

    @Test("a document the CLI ingests while the daemon serves is seen by the next call, without a restart")
    func ingestWhileServing() throws {
        let before = try remote(["get", "NEW/1"])
        #expect(before.errorLines == ["Error: unknown document \"NEW/1\""], "\(before)")
        let file = store.file("new.txt", "A Fresh Record\n\nThe first paragraph of a new record.\n\nAnd a second one.\n")
        let ingest = try store.ingest([file], ["--key", "NEW/1"])
        #expect(ingest.status == 0, "\(ingest)")
        #expect(daemon.process.isRunning)

        let after = try remote(["get", "NEW/1", "2"])
        #expect(after.status == 0, "\(after)")
        #expect(after.stdout == "NEW/1 ¶2  [A Fresh Record]\nAnd a second one.\n\n", "\(after)")
        #expect(after.stdout == (try store.run(["get", "NEW/1", "2"])).stdout)
        let docs = try remote(["docs", "--json"])
        #expect(docs.stdout == (try store.run(["docs", "--json"])).stdout)
        #expect(docs.stdout.contains("\"key\":\"NEW/1\""), "\(docs)")

        // Replaced under the same key: the next call reads the new version.
        #expect(try remote(["get", "NEW/1", "2"]).stdout == after.stdout)
        let changed = store.file("changed.txt", "A Fresh Record\n\nThe first paragraph of a new record.\n\nAnd a changed one.\n")
        let replace = try store.ingest([changed], ["--key", "NEW/1"])
        #expect(replace.status == 0, "\(replace)")
        let replaced = try remote(["get", "NEW/1", "2"])
        #expect(replaced.stdout == "NEW/1 ¶2  [A Fresh Record]\nAnd a changed one.\n\n", "\(replaced)")
    }
}

/// `--connect` where it cannot work: no daemon, a bad address, a write command.
@Suite("--connect: errors and write commands", .timeLimit(.minutes(2)))
struct ConnectErrorTests {
    @Test("--connect to a closed port is one line and exit 1, for every read command")
    func closedPort() throws {
        let port = try Daemon.closedPort()
        let expected = "Error: cannot connect to 127.0.0.1:\(port): connection refused"
        for args in [["stats"], ["docs", "--json"], ["get", "VB/1001", "2"], ["speakers"], ["speaker", "Guterres"]] {
            let r = try CLI.run(args + ["--connect", "127.0.0.1:\(port)"])
            #expect(r.status == 1, "\(r)")
            #expect(r.errorLines == [expected], "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
        }
        var env = CLI.baseEnvironment
        env["VERBATIM_CONNECT"] = "127.0.0.1:\(port)"
        let viaEnv = try CLI.run(["stats"], environment: env)
        #expect(viaEnv.status == 1)
        #expect(viaEnv.errorLines == [expected], "\(viaEnv)")
    }

    @Test("a server that accepts and never answers: one line after VERBATIM_CONNECT_TIMEOUT seconds")
    func silentServer() throws {
        // A listening socket nobody accepts on: the kernel completes the connection, and
        // no SETTINGS ever come.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                bind(fd, a, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, a, &length) == 0
            }
        }
        try #require(listening)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        var env = CLI.baseEnvironment
        env["VERBATIM_CONNECT_TIMEOUT"] = "1"
        let r = try CLI.run(["stats", "--connect", "127.0.0.1:\(port)"], environment: env)
        #expect(r.status == 1, "\(r)")
        #expect(r.errorLines == ["Error: cannot connect to 127.0.0.1:\(port): no answer within 1 s"], "\(r)")
    }

    @Test("an address that is not HOST:PORT is refused, naming where it came from")
    func badAddress() throws {
        for text in ["localhost", "127.0.0.1:", ":7450", "127.0.0.1:70000", "127.0.0.1:http"] {
            let r = try CLI.run(["stats", "--connect", text])
            #expect(r.status == 1, "\(r)")
            #expect(r.errorLines == ["Error: --connect wants HOST:PORT (e.g. 127.0.0.1:7450), not \"\(text)\""], "\(r)")
        }
        var env = CLI.baseEnvironment
        env["VERBATIM_CONNECT"] = "nowhere"
        let r = try CLI.run(["docs"], environment: env)
        #expect(r.errorLines == ["Error: VERBATIM_CONNECT wants HOST:PORT (e.g. 127.0.0.1:7450), not \"nowhere\""], "\(r)")
    }

    @Test("--connect and --db together are refused: they name two sources")
    func connectAndDB() throws {
        let r = try CLI.run(["docs", "--connect", "127.0.0.1:7450", "--db", "/tmp/nowhere"])
        #expect(r.status == 1, "\(r)")
        #expect(r.errorLines == ["Error: --connect and --db name two sources: give one (the daemon serves its own store)"], "\(r)")
    }

    @Test("ingest, delete, backup and verify refuse --connect in one line and leave the store alone")
    func writeCommandsRefuse() throws {
        let store = TestStore()
        try #require(try store.ingest([Samples.folder]).status == 0)
        let daemon = try Daemon(store: store.path)
        let before = try store.stats()
        let backup = store.directory.appending("backup")
        let commands: [(String, [String])] = [
            ("ingest", ["ingest", Samples.path("VB-SM-7-press-release.txt")]), ("delete", ["delete", "VB/1001"]),
            ("backup", ["backup", backup]), ("verify", ["verify"]),
        ]
        for (name, args) in commands {
            let r = try CLI.run(args + ["--connect", daemon.address])
            #expect(r.status == 1, "\(r)")
            #expect(
                r.errorLines == ["Error: \(name) works on the store directory, not through the daemon: drop --connect and give --db"],
                "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
        }
        #expect(try store.stats() == before)
        #expect(!FileManager.default.fileExists(atPath: backup))
        #expect(try store.run(["get", "VB/1001", "1"]).status == 0)
    }

    @Test("write commands ignore VERBATIM_CONNECT and work on the store")
    func writeCommandsIgnoreEnvironment() throws {
        let store = TestStore()
        var env = CLI.baseEnvironment
        env["VERBATIM_CONNECT"] = "127.0.0.1:\(try Daemon.closedPort())"
        let r = try CLI.run(["ingest", "--quiet", Samples.folder, "--db", store.path], environment: env)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.summaryCount("added") == 6, "\(r)")
        let verify = try CLI.run(["verify", "--db", store.path], environment: env)
        #expect(verify.status == 0, "\(verify)")
    }
}
