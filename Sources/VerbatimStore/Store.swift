import Foundation
import LMDB
import VerbatimModel
@_exported import VerbatimProtocol

/// A document's metadata as stored (`verbatim.v1.Document`).
public typealias DocumentRecord = Verbatim_V1_Document
extension DocumentRecord {
    /// The name a document is cited by: its symbol, else its key.
    public var name: String { symbol.isEmpty ? key : symbol }
}

/// A paragraph as stored and sent on the wire (`verbatim.v1.Paragraph`).
public typealias ParagraphRecord = Verbatim_V1_Paragraph
/// A speaker entity as stored (`verbatim.v1.Speaker`).
public typealias SpeakerRecord = Verbatim_V1_Speaker

/// The Verbatim store: documents, paragraphs, speakers and their indexes in one LMDB
/// environment (a directory).
///
/// Thread-safe. Reads run on pooled read transactions and never block writers; each
/// write (ingest, replace, delete of one document) is one write transaction. Several
/// processes may open the same store: the CLI can ingest while the daemon serves.
///
/// ```swift
/// let store = try Store(path: "/var/lib/verbatim")
/// let outcome = try store.ingest(document)                 // .added, .replaced or .unchanged
/// let text = try store.read { try $0.paragraph(key: "L/3282", number: 12)?.text }
/// ```
public final class Store: Sendable {
    /// How to open a store.
    public struct Options: Sendable {
        /// Open read-only: no writes; the store must exist.
        public var readOnly: Bool
        /// Defer flushing to disk until `sync()` or close (bulk ingest). Each document is
        /// still committed atomically; a system crash may lose the last ones.
        public var deferSync: Bool
        /// Initial map size in bytes; the map doubles when full.
        public var mapSize: Int
        /// Ask for the map to be backed by transparent huge pages (Linux;
        /// docs/OPERATIONS.md §7). See `hugePagesAdvised`.
        public var hugePages: Bool

        public init(readOnly: Bool = false, deferSync: Bool = false, mapSize: Int = 1 << 30, hugePages: Bool = true) {
            self.readOnly = readOnly
            self.deferSync = deferSync
            self.mapSize = mapSize
            self.hugePages = hugePages
        }
    }

    /// The schema version this build reads and writes.
    public static var schemaVersion: UInt32 { Schema.version }

    /// The store directory the CLI and the daemon use when none is given:
    /// `$VERBATIM_DB`, else `$XDG_DATA_HOME/verbatim/store`, else
    /// `~/.local/share/verbatim/store`.
    public static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = env["VERBATIM_DB"], !p.isEmpty { return p }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/verbatim/store"
    }

    /// The store's directory.
    public let path: String
    let env: Environment
    let schema: Schema

    /// Whether the kernel took the advice to back the store's map with huge pages.
    public var hugePagesAdvised: Bool { env.hugePagesAdvised }

    /// Opens the store at `path`, creating it unless `options.readOnly`.
    /// - Throws: `StoreError.schemaMismatch` when the store was written with another
    ///   schema version; `.notFound` when a read-only store does not exist; `.storage`.
    public init(path: String, options: Options = Options()) throws(StoreError) {
        self.path = path
        if options.readOnly && !FileManager.default.fileExists(atPath: path + "/data.mdb") {
            throw StoreError(.notFound, "no store at \(path)")
        }
        do {
            env = try Environment(
                path: path,
                options: .init(
                    mapSize: options.mapSize, maxDatabases: 16, readOnly: options.readOnly,
                    noSync: options.deferSync, hugePages: options.hugePages))
        } catch {
            throw StoreError(.storage, "cannot open store at \(path): \(error.message)")
        }
        // The version first: a store of another version may lack databases of this one.
        let stored: UInt32?
        do {
            let meta = try env.openDatabase("meta", create: !options.readOnly)
            stored = try env.read { txn in try txn.get(meta, key: "schema_version") { Keys.u32($0) } }
        } catch {
            throw StoreError(.storage, "cannot open store at \(path): \(error)")
        }
        if let stored, stored != Schema.version {
            throw Store.mismatch(path: path, stored: stored)
        }
        do {
            schema = try Schema(env: env, create: !options.readOnly)
        } catch {
            throw StoreError(.storage, "cannot open store at \(path): \(error.message)")
        }
        try checkSchemaVersion(writable: !options.readOnly)
    }

    static func mismatch(path: String, stored: UInt32) -> StoreError {
        var message = "store at \(path) has schema version \(stored); this build reads version \(Schema.version)"
        if stored < Schema.version {
            message += " (version 2 added the phrase index for quote lookup, version 3 word positions and gaps to it, version 4 the word after each pair, version 5 one entry per document instead of one per paragraph ordinal, version 6 finer bits for the word after each pair, version 7 pairs ending with \"the\" listed again by the word after them, version 8 one paragraphs value per document): ingest the documents again into a new store"
        }
        return StoreError(.schemaMismatch, message)
    }

    private func checkSchemaVersion(writable: Bool) throws(StoreError) {
        do {
            let stored = try env.read { txn in try txn.get(schema.meta, key: "schema_version") { Keys.u32($0) } }
            switch stored {
            case Schema.version?:
                return
            case let other?:
                throw Store.mismatch(path: path, stored: other)
            case nil:
                guard writable else { return }
                try env.write { txn in
                    // Another process may have written it since we looked.
                    if try txn.get(schema.meta, key: "schema_version", { Keys.u32($0) }) == nil {
                        try txn.put(schema.meta, key: "schema_version", value: BigEndianKey(Schema.version))
                    }
                }
                try checkSchemaVersion(writable: false)
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Runs `body` on one consistent snapshot of the store.
    ///
    /// Everything `body` reads comes from the same committed state, even while another
    /// thread or process writes. Values lent by the snapshot are valid only inside `body`.
    public func read<R>(_ body: (borrowing Snapshot) throws -> R) throws(StoreError) -> R {
        do {
            return try env.read { txn in try body(Snapshot(txn: ReadTransaction(handle: txn._handle), schema: schema)) }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Flushes committed writes to disk (needed only with `deferSync`).
    public func sync() throws(StoreError) {
        do { try env.sync() } catch { throw StoreError.wrap(error) }
    }

    /// Writes a consistent, compacted copy of the store into the empty directory
    /// `destination`. Safe while other threads and processes read and write.
    public func backup(to destination: String) throws(StoreError) {
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: destination), !contents.isEmpty {
            throw StoreError(.conflict, "backup destination \(destination) is not empty")
        }
        do { try env.copy(to: destination, compact: true) } catch { throw StoreError.wrap(error) }
    }

    /// Clears reader slots left by processes that died. - Returns: how many.
    @discardableResult
    public func clearStaleReaders() throws(StoreError) -> Int {
        do { return try env.clearStaleReaders() } catch { throw StoreError.wrap(error) }
    }
}
