import Foundation
import VerbatimTesting

/// Runs the built `verbatim` executable as a child process, as a user would.
enum CLI {
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The non-empty lines of standard error.
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty } }

        var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    static let executable = TestPaths.executable("verbatim")

    /// The environment children run in: the test's own, without a store chosen by the
    /// environment, and with HOME in a scratch folder so no test can touch a real store.
    static let baseEnvironment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        env["VERBATIM_DB"] = nil
        env["XDG_DATA_HOME"] = nil
        env["HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("verbatim-cli-test-home").path
        return env
    }()

    /// Runs `verbatim args…` with `stdin` (or an empty standard input) and waits for it.
    ///
    /// Standard output and error go to temporary files, not pipes, so that a large output can
    /// never fill a pipe and deadlock the child; standard input comes from a file as well.
    static func run(
        _ args: [String], stdin: Data? = nil, environment: [String: String] = baseEnvironment,
        timeout: TimeInterval = 60
    ) throws -> Result {
        let process = try start(args, stdin: stdin, environment: environment)
        return try process.wait(timeout: timeout)
    }

    /// Starts `verbatim args…` without waiting; call `wait` on the result.
    static func start(_ args: [String], stdin: Data? = nil, environment: [String: String] = baseEnvironment) throws
        -> Running
    {
        let scratch = TemporaryDirectory("verbatim-cli-io")
        let outPath = scratch.appending("stdout")
        let errPath = scratch.appending("stderr")
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        process.environment = environment
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        var input: FileHandle?
        if let stdin {
            let inPath = scratch.appending("stdin")
            FileManager.default.createFile(atPath: inPath, contents: stdin)
            input = FileHandle(forReadingAtPath: inPath)
            process.standardInput = input
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        try? out.close()
        try? err.close()
        try? input?.close()
        return Running(process: process, scratch: scratch, outPath: outPath, errPath: errPath)
    }

    final class Running {
        let process: Process
        let scratch: TemporaryDirectory
        let outPath: String
        let errPath: String

        init(process: Process, scratch: TemporaryDirectory, outPath: String, errPath: String) {
            self.process = process
            self.scratch = scratch
            self.outPath = outPath
            self.errPath = errPath
        }

        var isRunning: Bool { process.isRunning }

        /// Waits for the child to exit (killing it after `timeout` seconds) and collects its output.
        func wait(timeout: TimeInterval = 60) throws -> Result {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    process.waitUntilExit()
                    throw TimedOut(arguments: process.arguments ?? [])
                }
                usleep(2_000)
            }
            process.waitUntilExit()
            let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
            let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                stderr: String(decoding: err, as: UTF8.self))
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var arguments: [String]
        var description: String { "verbatim \(arguments.joined(separator: " ")) did not finish in time" }
    }
}

/// A store in its own temporary directory, and the command lines that use it.
final class TestStore {
    let directory = TemporaryDirectory("verbatim-cli")
    /// The store directory (not created until something is ingested).
    var path: String { directory.appending("store") }

    /// Runs `verbatim args… --db <this store>`.
    @discardableResult
    func run(_ args: [String], stdin: Data? = nil) throws -> CLI.Result {
        try CLI.run(args + ["--db", path], stdin: stdin)
    }

    /// Ingests the paths quietly; the caller checks the result.
    @discardableResult
    func ingest(_ paths: [String], _ extra: [String] = []) throws -> CLI.Result {
        try run(["ingest", "--quiet"] + extra + paths)
    }

    /// A file in this test's temporary directory, with `contents`.
    func file(_ name: String, _ contents: Data) -> String {
        let p = directory.appending(name)
        try? FileManager.default.createDirectory(
            atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: p, contents: contents)
        return p
    }

    func file(_ name: String, _ text: String) -> String { file(name, Data(text.utf8)) }

    /// `stats --json`, decoded.
    func stats() throws -> Stats {
        let r = try run(["stats", "--json"])
        guard r.status == 0 else { throw Failed(result: r) }
        return try JSONDecoder().decode(Stats.self, from: Data(r.stdout.utf8))
    }

    /// A command's JSON output as a JSON array of objects.
    func jsonArray(_ args: [String]) throws -> [[String: Any]] {
        let r = try run(args + ["--json"])
        guard r.status == 0 else { throw Failed(result: r) }
        guard let array = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] else {
            throw Failed(result: r)
        }
        return array
    }

    /// `verify` ran and said ok.
    func verifies() throws -> Bool {
        let r = try run(["verify"])
        return r.status == 0 && r.stdout.hasPrefix("ok")
    }

    struct Failed: Error, CustomStringConvertible {
        var result: CLI.Result
        var description: String { "command failed: \(result)" }
    }
}

/// What `stats --json` prints.
struct Stats: Decodable, Equatable {
    var documents: Int
    var paragraphs: Int
    var speakers: Int
    var speakerNames: Int
    var citations: Int
    var textBytes: Int
    var databaseBytes: [String: Int]
}

/// The `samples/` folder, and what is in it.
enum Samples {
    static let folder = TestPaths.samples
    static func path(_ name: String) -> String { folder + "/" + name }
    static func data(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    /// Documents in `samples/`: one per .txt file plus one per JSON Lines record.
    static var documentCount: Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let texts = names.filter { $0.hasSuffix(".txt") }.count
        let records = names.filter { $0.hasSuffix(".jsonl") }.map { name in
            ((try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "").split(separator: "\n").count
        }.reduce(0, +)
        return texts + records
    }
}

extension String {
    /// The value of a summary line such as `  added      6`.
    func summaryCount(_ label: String) -> Int? {
        for line in split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, parts[0] == label, let n = Int(parts[1]) { return n }
        }
        return nil
    }
}
