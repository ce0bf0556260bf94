import NIOCore
import VerbatimWire

extension VerbatimServer {
    /// How the daemon listens and the limits it enforces (docs/PROTOCOL.md §2 SETTINGS).
    public struct Configuration: Sendable {
        /// The address to bind; loopback by default.
        public var host: String = "127.0.0.1"
        /// The port to bind; 0 lets the OS pick one (`start` returns it).
        public var port: Int = 7450
        /// Event-loop threads.
        public var threads: Int = System.coreCount
        /// The largest frame payload accepted and sent (bytes).
        public var maxFrameSize: Int = 4 << 20
        /// Calls in flight per connection; beyond it a REQUEST gets RESOURCE_EXHAUSTED.
        public var maxConcurrentStreams: Int = 256
        /// Connections open at once; beyond it a new one gets GOAWAY TOO_MANY_CONNECTIONS.
        public var maxConnections: Int = 1024
        /// Time allowed for the client's preface.
        public var handshakeTimeout: TimeAmount = .seconds(5)
        /// A connection with no call in flight and no frame read for this long is closed.
        public var idleTimeout: TimeAmount = .seconds(60)
        /// Outbound bytes buffered per connection above which the server stops reading it.
        public var writeBufferHighWaterMark: Int = 256 << 10
        /// Outbound bytes below which it reads again.
        public var writeBufferLowWaterMark: Int = 64 << 10
        /// Entries of the document caches in all (`DocumentCache`, 64 bytes each, allocated
        /// as used), shared out evenly among the event loops: each loop's cache has the
        /// largest power of two not above its share. 0 turns them off.
        public var documentCacheEntries: Int = 1 << 16
        /// Test hook only: delays every call (and every item of a stream) by this much, so that
        /// tests can observe calls in flight. Never set it in production.
        public var testingCallDelay: TimeAmount? = nil

        public init() {}

        /// The SETTINGS the server announces.
        var settings: Settings {
            var s = Settings()
            s.maxFrameSize = maxFrameSize
            s.maxConcurrentStreams = maxConcurrentStreams
            s.idleTimeoutMilliseconds = Int(idleTimeout.nanoseconds / 1_000_000)
            return s
        }
    }
}
