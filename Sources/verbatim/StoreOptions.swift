import ArgumentParser
import Foundation
import VerbatimStore

/// Options every command shares: where the store is, and JSON output.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store directory (default: $VERBATIM_DB or ~/.local/share/verbatim/store).")
    var db: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read commands: ask the daemon at HOST:PORT instead of opening the store (default: $VERBATIM_CONNECT unless --db is given).",
            valueName: "host:port"))
    var connect: String?

    /// The store path: --db, else $VERBATIM_DB, else the XDG data directory.
    var path: String {
        if let db { return db }
        let env = ProcessInfo.processInfo.environment
        if let p = env["VERBATIM_DB"], !p.isEmpty { return p }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/verbatim/store"
    }

    /// The daemon the read commands go through: --connect, else $VERBATIM_CONNECT when no
    /// --db is given; `nil` to read the store directly.
    func daemonAddress() throws -> DaemonAddress? {
        if let connect {
            guard db == nil else {
                throw CLIError("--connect and --db name two sources: give one (the daemon serves its own store)")
            }
            return try DaemonAddress(parsing: connect, from: "--connect")
        }
        guard db == nil, let env = ProcessInfo.processInfo.environment["VERBATIM_CONNECT"], !env.isEmpty else {
            return nil
        }
        return try DaemonAddress(parsing: env, from: "VERBATIM_CONNECT")
    }

    /// Where a read command reads: the daemon (see `daemonAddress`), else the store opened read-only.
    func source() throws -> any ReadSource {
        if let address = try daemonAddress() { return try RemoteSource(address) }
        return LocalSource(store: try openForReading())
    }

    /// Refuses `--connect` for a command that works on the store directory itself.
    /// ($VERBATIM_CONNECT is for read commands and is ignored here.)
    func refuseConnect(_ command: String) throws {
        guard connect == nil else {
            throw CLIError("\(command) works on the store directory, not through the daemon: drop --connect and give --db")
        }
    }

    /// Opens the store read-only; a missing store is a clear error.
    func openForReading() throws -> Store {
        try requireExisting()
        return try Store(path: path, options: .init(readOnly: true))
    }

    /// Opens an existing store for writing (delete); a missing store is a clear error and
    /// nothing is created.
    func openExistingForWriting() throws -> Store {
        try requireExisting()
        return try Store(path: path)
    }

    /// Opens the store for writing, creating it (and its parent folders) when missing.
    func openForWriting(deferSync: Bool = false) throws -> Store {
        // Through URL: NSString.deletingLastPathComponent traps on a one-component relative
        // path such as `--db store` (swift-corelibs-foundation).
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        return try Store(path: path, options: .init(deferSync: deferSync))
    }

    private func requireExisting() throws {
        guard FileManager.default.fileExists(atPath: path + "/data.mdb") else {
            throw CLIError("no store at \(path): ingest documents first (verbatim ingest PATH), or pass --db")
        }
    }
}

/// A one-line error for the user; ArgumentParser prints it as `Error: …` and exits 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
