// The daemon library; see docs/PROTOCOL.md.
import Logging
import NIOCore
import NIOPosix
import Synchronization
import VerbatimStore
import VerbatimWire

/// The Verbatim daemon: a SwiftNIO server answering the wire protocol (docs/PROTOCOL.md)
/// from a `Store`.
///
/// ```swift
/// let server = VerbatimServer(store: store, configuration: config, logger: logger)
/// let port = try await server.start()
/// …
/// await server.gracefulShutdown()   // GOAWAY, drain in-flight calls, close
/// ```
public final class VerbatimServer: Sendable {
    public let configuration: Configuration
    let store: Store
    let logger: Logger
    let state = Mutex(State())
    /// Set once the server has stopped; `waitUntilClosed` callers wait on it. (Not an
    /// EventLoopPromise: one left unfulfilled, by a server that never started, traps in
    /// debug builds when it is freed.)
    private let closed = Mutex(Closed())

    struct Closed {
        var done = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    struct State {
        var group: MultiThreadedEventLoopGroup?
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var nextConnectionID = 0
        var draining = false
        var stopped = false
        /// One per event loop, made for its first connection.
        var loopIterations: [ObjectIdentifier: LoopIteration] = [:]
    }

    /// - Parameters:
    ///   - store: the store to answer from (thread-safe; read on the event loops).
    ///   - logger: where connection events go (metadata `verbatim.connection`, `verbatim.stream`).
    public init(store: Store, configuration: Configuration = Configuration(), logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// Binds and starts accepting. - Returns: the bound port (useful with port 0).
    @discardableResult
    public func start() async throws -> Int {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        state.withLock { $0.group = group }
        let config = configuration
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(low: config.writeBufferLowWaterMark, high: config.writeBufferHighWaterMark)
            )
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.initialize(channel) }
            }
        do {
            let channel = try await bootstrap.bind(host: config.host, port: config.port).get()
            state.withLock { $0.serverChannel = channel }
            let port = channel.localAddress?.port ?? config.port
            logger.info("listening on \(config.host):\(port)", metadata: ["verbatim.port": "\(port)"])
            return port
        } catch {
            try? await group.shutdownGracefully()
            state.withLock { $0.group = nil }
            throw error
        }
    }

    /// Starts, then waits until the server has shut down.
    public func run() async throws {
        try await start()
        try await waitUntilClosed()
    }

    /// Waits until `gracefulShutdown` or `shutdown` has finished.
    public func waitUntilClosed() async throws {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = closed.withLock { s in
                if !s.done { s.waiters.append(c) }
                return s.done
            }
            if now { c.resume() }
        }
    }

    /// Client connections open now (accepted and not yet closed).
    public var connectionCount: Int {
        state.withLock { $0.connections.count }
    }

    /// The address the server listens on, once started.
    public var localAddress: SocketAddress? {
        state.withLock { $0.serverChannel?.localAddress }
    }

    private func initialize(_ channel: any Channel) throws {
        let (id, accepted) = state.withLock { s -> (Int, Bool) in
            s.nextConnectionID += 1
            let ok = !s.draining && s.connections.count < configuration.maxConnections
            if ok { s.connections[ObjectIdentifier(channel)] = channel }
            return (s.nextConnectionID, ok)
        }
        var log = logger
        log[metadataKey: "verbatim.connection"] = "\(id)"
        if let remote = channel.remoteAddress { log[metadataKey: "verbatim.peer"] = "\(remote)" }
        guard accepted else {
            log.warning("connection rejected: TOO_MANY_CONNECTIONS (limit \(configuration.maxConnections))")
            var b = channel.allocator.buffer(capacity: 64)
            b.writeFrame(.goAway(lastStream: 0, code: .tooManyConnections, message: "too many connections"))
            channel.writeAndFlush(b).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
        // Each loop's share of the caches' entries (one cache per loop).
        let entries = configuration.documentCacheEntries / max(1, configuration.threads)
        let (draining, iteration) = state.withLock { s -> (Bool, LoopIteration) in
            let loop = ObjectIdentifier(channel.eventLoop)
            if let r = s.loopIterations[loop] { return (s.draining, r) }
            let r = LoopIteration(
                store: store, cache: entries > 0 ? DocumentCache(entries: entries) : nil, eventLoop: channel.eventLoop)
            s.loopIterations[loop] = r
            return (s.draining, r)
        }
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(
            ConnectionHandler(store: store, configuration: configuration, logger: log, draining: draining, iteration: iteration))
    }

    /// Stops accepting, sends GOAWAY NO_ERROR on every connection, lets calls in flight
    /// finish, closes the connections and stops the event loops.
    public func gracefulShutdown() async {
        guard let (server, connections, group) = beginStopping() else {
            try? await waitUntilClosed()
            return
        }
        try? await server?.close()
        for c in connections {
            c.pipeline.fireUserInboundEventTriggered(ConnectionHandler.Drain())
        }
        for c in connections {
            try? await c.closeFuture.get()
        }
        await stop(group)
    }

    /// Closes everything at once, without draining.
    public func shutdown() async {
        guard let (server, connections, group) = beginStopping() else {
            try? await waitUntilClosed()
            return
        }
        try? await server?.close()
        for c in connections { try? await c.close() }
        await stop(group)
    }

    /// Marks the server as stopping; nil when it already was.
    private func beginStopping() -> ((any Channel)?, [any Channel], MultiThreadedEventLoopGroup?)? {
        state.withLock { s in
            guard !s.stopped else { return nil }
            s.stopped = true
            s.draining = true
            defer { s.group = nil; s.serverChannel = nil }
            return (s.serverChannel, Array(s.connections.values), s.group)
        }
    }

    private func stop(_ group: MultiThreadedEventLoopGroup?) async {
        try? await group?.shutdownGracefully()
        // A snapshot held by a loop that stopped before its iteration's end task ran.
        for iteration in state.withLock({ Array($0.loopIterations.values) }) { iteration.session.end() }
        let waiters = closed.withLock { s in
            s.done = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }
}
