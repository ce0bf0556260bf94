import NIOCore
import NIOPosix
import Synchronization
import VerbatimWire

/// One connection to the daemon: its channel, and its handler, used on the channel's
/// event loop.
final class Connection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<ClientHandler>
    let settings: Settings
    private let liveness: Liveness

    /// Set to false by the handler when the connection fails, closes or receives GOAWAY.
    final class Liveness: Sendable {
        let usable = Atomic<Bool>(true)
    }

    private init(channel: any Channel, handler: NIOLoopBound<ClientHandler>, settings: Settings, liveness: Liveness) {
        self.channel = channel
        self.handler = handler
        self.settings = settings
        self.liveness = liveness
    }

    /// True while new calls may be started on this connection.
    var isUsable: Bool { liveness.usable.load(ordering: .relaxed) }

    /// Connects, sends the preface and waits for the server's SETTINGS.
    ///
    /// The pipeline is set up and the preface written on the event loop as the connection
    /// comes up (the channel initializer and `channelActive`), so the handshake never waits
    /// for the calling task to be scheduled again: a busy task pool cannot make the server's
    /// handshake timeout expire.
    /// - Throws: `VerbatimError` with `UNAVAILABLE` when the server cannot be reached.
    static func open(host: String, port: Int, group: any EventLoopGroup, connectTimeout: Duration) async throws -> Connection {
        let liveness = Liveness()
        let setUp = SetUp()
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
                    + connectTimeout.components.attoseconds / 1_000_000_000))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let ready = channel.eventLoop.makePromise(of: Settings.self)
                        let handler = ClientHandler(ready: ready, liveness: liveness)
                        do {
                            try channel.pipeline.syncOperations.addHandler(
                                ByteToMessageHandler(FrameDecoder(maxFrameSize: 64 << 20, expectPreface: false)))
                            try channel.pipeline.syncOperations.addHandler(handler)
                        } catch {
                            ready.fail(error)
                            throw error
                        }
                        setUp.value.withLock { $0 = (NIOLoopBound(handler, eventLoop: channel.eventLoop), ready.futureResult) }
                    }
                }
                .connect(host: host, port: port).get()
            guard let (bound, ready) = setUp.value.withLock({ $0 }) else {
                throw VerbatimError(.unavailable, "cannot connect to \(host):\(port): the connection was not set up")
            }
            let settings = try await ready.get()
            return Connection(channel: channel, handler: bound, settings: settings, liveness: liveness)
        } catch let e as VerbatimError {
            throw e
        } catch {
            // The channel's ready promise fails too when it closes first; nothing is left open.
            throw VerbatimError(.unavailable, "cannot connect to \(host):\(port): \(error)")
        }
    }

    /// What the channel initializer hands back to `open`.
    private final class SetUp: Sendable {
        let value = Mutex<(NIOLoopBound<ClientHandler>, EventLoopFuture<Settings>)?>(nil)
    }

    func start(_ sink: CallSink) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.start(sink) }
    }

    func cancel(_ token: CallToken) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.cancel(token) }
    }

    func ping() async throws {
        let handler = self.handler
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            channel.eventLoop.execute { handler.value.ping(c) }
        }
    }

    func close() async {
        liveness.usable.store(false, ordering: .relaxed)
        try? await channel.close()
    }
}

/// One place in the client's pool: a connection, or the state of getting one back.
final class PoolSlot: Sendable {
    private let state: Mutex<State>

    enum State {
        case up(Connection)
        case connecting(Task<Connection, any Error>)
        case down(retryAt: ContinuousClock.Instant, failures: Int, error: VerbatimError?)
        case closed
    }

    init(_ connection: Connection) {
        state = Mutex(.up(connection))
    }

    /// The connection, when it is up and takes new calls (no waiting).
    var ready: Connection? {
        state.withLock { s in
            if case .up(let c) = s, c.isUsable { return c }
            return nil
        }
    }

    /// The connection, reconnecting first when it failed, with back-off between attempts:
    /// while the back-off runs, calls fail at once with the last connection error.
    func connection(
        host: String, port: Int, group: any EventLoopGroup, options: VerbatimClient.Options
    ) async throws -> Connection {
        enum Next {
            case use(Connection)
            case wait(Task<Connection, any Error>)
            case fail(VerbatimError)
        }
        let next = state.withLock { s -> Next in
            var failures = 0
            switch s {
            case .up(let c):
                if c.isUsable { return .use(c) }
                // A connection that worked and then went away: reconnect at once.
            case .connecting(let task):
                return .wait(task)
            case .down(let retryAt, let n, let error):
                let now = ContinuousClock.now
                if now < retryAt, let error {
                    let ms = (retryAt - now).components
                    let wait = ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000
                    return .fail(VerbatimError(error.code, "\(error.message) (next attempt in \(wait) ms)"))
                }
                failures = n
            case .closed:
                return .fail(VerbatimError(.unavailable, "the client is closed"))
            }
            let task = Task { [self] in
                do {
                    let c = try await Connection.open(
                        host: host, port: port, group: group, connectTimeout: options.connectTimeout)
                    let keep = state.withLock { s -> Bool in
                        if case .closed = s { return false }
                        s = .up(c)
                        return true
                    }
                    if !keep { await c.close() }
                    return c
                } catch {
                    let e = error as? VerbatimError ?? VerbatimError(.unavailable, "\(error)")
                    let delay = options.backoff(afterFailures: failures + 1)
                    state.withLock { s in
                        if case .closed = s { return }
                        s = .down(retryAt: .now + delay, failures: failures + 1, error: e)
                    }
                    throw e
                }
            }
            s = .connecting(task)
            return .wait(task)
        }
        switch next {
        case .use(let c): return c
        case .fail(let e): throw e
        case .wait(let task): return try await task.value
        }
    }

    func close() async {
        let previous = state.withLock { s in
            defer { s = .closed }
            return s
        }
        switch previous {
        case .up(let c): await c.close()
        case .connecting(let task): if let c = try? await task.value { await c.close() }
        case .down, .closed: break
        }
    }
}
