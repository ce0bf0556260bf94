import Foundation
import Logging
import NIOCore
import NIOPosix
import SwiftProtobuf
import VerbatimModel
import VerbatimServer
import VerbatimStore
import VerbatimTesting
import VerbatimWire

/// A store in a temporary directory with fixture documents, and a real server on an
/// OS-chosen loopback port.
final class TestServer: Sendable {
    let directory: TemporaryDirectory
    let store: Store
    let server: VerbatimServer
    let port: Int

    /// Paragraph texts of the small document "L/9001" and the large "L/9002".
    static let smallTexts = (1...5).map { "Paragraph \($0) of the small meeting: the Council met and spoke at length." }
    static let largeTexts = (1...2000).map { "Paragraph \($0) of the large meeting, with enough words to be a paragraph." }

    /// - Parameter logs: when given, the server logs there at `.info` and above.
    static func make(
        logs: LogCapture? = nil, _ configure: (inout VerbatimServer.Configuration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory = TemporaryDirectory("verbatim-server-test")
        let store = try Store(path: directory.appending("store"))
        try store.ingest(Fixtures.document(symbol: "L/9001", paragraphs: smallTexts))
        try store.ingest(
            Fixtures.document(symbol: "L/9002", date: DocumentDate(year: 2019, month: 1, day: 2), paragraphs: largeTexts))
        var config = VerbatimServer.Configuration()
        config.port = 0
        config.threads = 1
        configure(&config)
        var logger =
            if let logs { Logger(label: "verbatim.test") { _ in logs } } else { Logger(label: "verbatim.test") }
        logger.logLevel = logs == nil ? .critical : .info
        let server = VerbatimServer(store: store, configuration: config, logger: logger)
        let port = try await server.start()
        return TestServer(directory: directory, store: store, server: server, port: port)
    }

    private init(directory: TemporaryDirectory, store: Store, server: VerbatimServer, port: Int) {
        self.directory = directory
        self.store = store
        self.server = server
        self.port = port
    }

    func stop() async { await server.shutdown() }
}

/// A log handler keeping every line, for tests of what the server logs.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(level: Logger.Level, message: String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { stored.append((event.level, "\(event.message)")) }
    }

    /// The messages logged at `level` or above.
    func messages(atLeast level: Logger.Level) -> [String] {
        lock.withLock { stored.filter { $0.level >= level }.map(\.message) }
    }
}

/// A raw client speaking frames by hand, for hostile and byte-exact tests.
final class RawConnection {
    let channel: NIOAsyncChannel<Frame, ByteBuffer>
    var inbound: NIOAsyncChannelInboundStream<Frame>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    static let group = MultiThreadedEventLoopGroup.singleton

    init(port: Int, maxFrameSize: Int = 16 << 20) async throws {
        channel = try await ClientBootstrap(group: Self.group).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    ByteToMessageHandler(FrameDecoder(maxFrameSize: maxFrameSize, expectPreface: false)))
                return try NIOAsyncChannel<Frame, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        inbound = channel.inbound.makeAsyncIterator()
        outbound = channel.outbound
    }

    func send(_ bytes: [UInt8]) async throws { try await outbound.write(ByteBuffer(bytes: bytes)) }
    func send(_ frame: Frame) async throws {
        var b = ByteBuffer()
        b.writeFrame(frame)
        try await outbound.write(b)
    }
    func sendPreface() async throws { try await send(Preface.bytes) }

    /// The next frame, or nil at the end of the connection.
    func next() async throws -> Frame? { try await inbound.next() }

    /// Reads past SETTINGS.
    func handshake() async throws {
        try await sendPreface()
        let f = try await next()
        guard f?.type == .settings else { throw HarnessError.noSettings(f) }
    }

    /// Frames until end of input (the server closed).
    func rest() async throws -> [Frame] {
        var frames: [Frame] = []
        do {
            while let f = try await next() { frames.append(f) }
        } catch {}
        return frames
    }

    func close() async { try? await channel.channel.close() }
}

enum HarnessError: Error {
    /// The server answered the preface with something other than SETTINGS (or closed).
    case noSettings(Frame?)
}

extension ByteBuffer {
    var hex: String { readableBytesView.map { String(format: "%02x", $0) }.joined(separator: " ") }
}

extension SwiftProtobuf.Message {
    /// The serialized message in a ByteBuffer.
    var buffer: ByteBuffer { ByteBuffer(bytes: try! serializedBytes() as [UInt8]) }
}
