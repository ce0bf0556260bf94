import ArgumentParser
import Foundation
import VerbatimStore

/// Options every command shares: where the store is, and JSON output.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store directory (default: $VERBATIM_DB or ~/.local/share/verbatim/store).")
    var db: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// The store path: --db, else $VERBATIM_DB, else the XDG data directory.
    var path: String {
        if let db { return db }
        let env = ProcessInfo.processInfo.environment
        if let p = env["VERBATIM_DB"], !p.isEmpty { return p }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/verbatim/store"
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
