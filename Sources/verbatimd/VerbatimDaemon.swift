import ArgumentParser
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import VerbatimServer
import VerbatimStore

/// `verbatimd`: serves the store over the Verbatim wire protocol (docs/PROTOCOL.md).
@main
struct VerbatimDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verbatimd",
        abstract: "Serve a Verbatim store over the Verbatim wire protocol (docs/PROTOCOL.md).",
        discussion: """
            The store is --db PATH, else $VERBATIM_DB, else $XDG_DATA_HOME/verbatim/store \
            (default ~/.local/share/verbatim/store). Documents the CLI ingests while the daemon \
            runs are served from the next call. SIGTERM or SIGINT: stop accepting, send GOAWAY, \
            finish calls in flight, exit 0.
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: the OS picks one).") var port = 7450
    @Option(help: "The store directory (default: $VERBATIM_DB or ~/.local/share/verbatim/store).") var db: String?
    @Option(help: "Event-loop threads (default: the number of cores).") var threads: Int?
    @Option(help: "Largest frame payload, in bytes.") var maxFrameSize = 4 << 20
    @Option(help: "Calls in flight per connection.") var maxConcurrentStreams = 256
    @Option(help: "Connections open at once.") var maxConnections = 1024
    @Option(help: "Time allowed for a client's preface, in milliseconds.") var handshakeTimeout = 5_000
    @Option(help: "Idle connection timeout, in milliseconds.") var idleTimeout = 60_000
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(
        help: """
            Entries of the caches of documents' paragraph tables for GetParagraph, in all, shared \
            out among the event loops (64 bytes each, allocated as used; 0: no cache; \
            docs/OPERATIONS.md).
            """)
    var documentCacheEntries = 1 << 16
    @Flag(
        inversion: .prefixedNo,
        help: "Advise the kernel to back the store's map with transparent huge pages (Linux; docs/OPERATIONS.md).")
    var hugePages = true

    var storePath: String { db ?? Store.defaultPath() }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxFrameSize >= 1024, maxConcurrentStreams >= 1, maxConnections >= 1 else {
            throw ValidationError("limits must be positive (--max-frame-size at least 1024)")
        }
        guard (0...(1 << 22)).contains(documentCacheEntries) else {
            throw ValidationError("--document-cache-entries must be 0...4194304")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel)!
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "verbatimd")
        let path = storePath
        guard FileManager.default.fileExists(atPath: path + "/data.mdb") else {
            throw DaemonError("no store at \(path): ingest documents first (verbatim ingest PATH), or pass --db")
        }
        let store = try Store(path: path, options: .init(readOnly: true, hugePages: hugePages))
        logger.debug("store map: transparent huge pages \(store.hugePagesAdvised ? "advised" : "not advised")")
        var config = VerbatimServer.Configuration()
        config.host = host
        config.port = port
        if let threads { config.threads = threads }
        config.maxFrameSize = maxFrameSize
        config.maxConcurrentStreams = maxConcurrentStreams
        config.maxConnections = maxConnections
        config.handshakeTimeout = .milliseconds(Int64(handshakeTimeout))
        config.idleTimeout = .milliseconds(Int64(idleTimeout))
        config.documentCacheEntries = documentCacheEntries
        let server = VerbatimServer(store: store, configuration: config, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: DaemonService(server: server, storePath: path))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

/// The server as a service of the lifecycle's group: runs until a signal, then drains.
struct DaemonService: Service {
    let server: VerbatimServer
    let storePath: String

    func run() async throws {
        let port: Int
        do {
            port = try await server.start()
        } catch let e as IOError {
            throw DaemonError(
                "cannot listen on \(server.configuration.host):\(server.configuration.port): \(String(cString: strerror(e.errnoCode)).lowercased())")
        } catch {
            throw DaemonError("cannot listen on \(server.configuration.host):\(server.configuration.port): \(error)")
        }
        let line = "verbatimd: listening on \(server.configuration.host):\(port) (store \(storePath))\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        try await withGracefulShutdownHandler {
            try await server.waitUntilClosed()
        } onGracefulShutdown: {
            Task { await server.gracefulShutdown() }
        }
    }
}

/// A failure to start, printed by the argument parser as one `Error: …` line (exit 1).
struct DaemonError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
