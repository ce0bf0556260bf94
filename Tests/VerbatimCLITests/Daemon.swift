import Foundation
import VerbatimTesting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `verbatimd` serving a store, as a real child process on a loopback port the OS
/// chooses; stopped with SIGTERM when the value is released.
final class Daemon {
    let process = Process()
    let scratch = TemporaryDirectory("verbatimd-test")
    let port: Int

    /// `--connect` for this daemon.
    var address: String { "127.0.0.1:\(port)" }

    /// What the daemon has written to standard error so far.
    var stderr: String { (try? String(contentsOfFile: scratch.appending("stderr"), encoding: .utf8)) ?? "" }

    /// Starts `verbatimd --port 0 --db store` (then `arguments`, which may override the
    /// log level) and waits for the line that names its port.
    init(store: String, arguments: [String] = []) throws {
        let outPath = scratch.appending("stdout")
        let errPath = scratch.appending("stderr")
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: TestPaths.executable("verbatimd"))
        process.arguments = ["--port", "0", "--db", store, "--threads", "1", "--log-level", "warning"] + arguments
        process.environment = CLI.baseEnvironment
        process.standardInput = FileHandle.nullDevice
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        try? out.close()
        try? err.close()

        // "verbatimd: listening on 127.0.0.1:PORT (store …)"
        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil {
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            if let r = text.range(of: "listening on 127.0.0.1:") {
                found = Int(text[r.upperBound...].prefix { $0.isNumber })
            } else if !process.isRunning || Date() > deadline {
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
                throw NotStarted(output: text + stderr)
            } else {
                usleep(5_000)
            }
        }
        port = found!
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    struct NotStarted: Error, CustomStringConvertible {
        var output: String
        var description: String { "verbatimd did not start: \(output)" }
    }

    /// A loopback port that nothing listens on: bound by the OS, then released.
    static func closedPort() throws -> Int {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw NotStarted(output: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                bind(fd, a, length) == 0 && getsockname(fd, a, &length) == 0
            }
        }
        guard bound else { throw NotStarted(output: "bind() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
