import Foundation
import Testing
import VerbatimTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `verbatimd` as a process: signals, and failures to start.
@Suite("verbatimd, the process", .timeLimit(.minutes(2)))
struct DaemonProcessTests {
    /// Runs `verbatimd args…` to its end (it must fail to start) and returns its exit status,
    /// whether it exited normally, and its standard error.
    func runFailing(_ args: [String]) throws -> (status: Int32, exited: Bool, stderr: String) {
        let scratch = TemporaryDirectory("verbatimd-fail")
        let errPath = scratch.appending("stderr")
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestPaths.executable("verbatimd"))
        p.arguments = args
        p.environment = CLI.baseEnvironment
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        p.standardError = err
        try p.run()
        try? err.close()
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (p.terminationStatus, p.terminationReason == .exit, text)
    }

    @Test("SIGTERM and SIGINT: the daemon stops serving and exits 0", arguments: [SIGTERM, SIGINT])
    func stopsOnSignal(_ signal: Int32) throws {
        let store = TestStore()
        try #require(try store.ingest([Samples.folder]).status == 0)
        let daemon = try Daemon(store: store.path)
        let before = try CLI.run(["stats", "--connect", daemon.address])
        #expect(before.status == 0, "\(before)")
        kill(daemon.process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(30)
        while daemon.process.isRunning && Date() < deadline { usleep(10_000) }
        #expect(!daemon.process.isRunning)
        #expect(daemon.process.terminationReason == .exit && daemon.process.terminationStatus == 0)
        let after = try CLI.run(["stats", "--connect", daemon.address])
        #expect(after.status == 1 && after.stderr.contains("cannot connect to \(daemon.address)"), "\(after)")
    }

    @Test("huge pages for the store's map are advised by default, and not with --no-huge-pages")
    func hugePages() throws {
        let store = TestStore()
        try #require(try store.ingest([Samples.folder]).status == 0)
        // Where the kernel has transparent huge pages (the LMDB tests check the mapping's flags).
        let available = FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")
        let advised = try Daemon(store: store.path, arguments: ["--log-level", "debug"])
        #expect(advised.stderr.contains("store map: transparent huge pages \(available ? "advised" : "not advised")"))
        let plain = try Daemon(store: store.path, arguments: ["--log-level", "debug", "--no-huge-pages"])
        #expect(plain.stderr.contains("store map: transparent huge pages not advised"), "\(plain.stderr)")
        #expect(try CLI.run(["stats", "--connect", plain.address]).status == 0)
    }

    @Test("a port already in use is one line and exit 1, not a crash")
    func portInUse() throws {
        let store = TestStore()
        try #require(try store.ingest([Samples.folder]).status == 0)
        let first = try Daemon(store: store.path)
        let r = try runFailing(["--db", store.path, "--port", "\(first.port)", "--threads", "1"])
        #expect(r.exited && r.status == 1)
        #expect(r.stderr == "Error: cannot listen on 127.0.0.1:\(first.port): address already in use\n", "\(r.stderr)")
    }

    @Test("a missing store is one line and exit 1, with no usage text")
    func missingStore() throws {
        let scratch = TemporaryDirectory("verbatimd-nostore")
        let path = scratch.appending("none")
        let r = try runFailing(["--db", path, "--port", "0"])
        #expect(r.exited && r.status == 1)
        #expect(r.stderr == "Error: no store at \(path): ingest documents first (verbatim ingest PATH), or pass --db\n")
    }
}
