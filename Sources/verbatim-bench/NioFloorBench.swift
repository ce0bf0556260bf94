import ArgumentParser
import NIOCore
import NIOPosix

/// `verbatim-bench nio-floor`: the least a SwiftNIO server can do per request, to tell
/// SwiftNIO's own cost from the daemon's (docs/PERFORMANCE.md).
///
/// A server on one event loop that answers every Redis command (a RESP array of bulk
/// strings, as `redis-benchmark` and `lean-client redis` send) with the same bulk string
/// of `--size` bytes: no lookup, no data. Its I/O is the daemon's: one handler reading the
/// bytes in place, the replies written into one buffer per connection and flushed
/// together once per loop iteration.
struct NioFloorBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nio-floor",
        abstract: "A SwiftNIO server answering every Redis command with the same bulk string (SwiftNIO's floor).")

    @Option(help: "Port on 127.0.0.1.")
    var port: Int

    @Option(help: "Bytes of the bulk string sent for each command.")
    var size = 623

    @Option(name: .customLong("cold-mib"), help: "Copy each reply's bytes from a random place in this many MiB (0: one fixed reply).")
    var coldMiB = 0

    func run() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var reply = ByteBuffer()
        reply.writeString("$\(size)\r\n")
        reply.writeRepeatingByte(UInt8(ascii: "x"), count: size)
        reply.writeString("\r\n")
        let fixed = reply
        var cold = [UInt8](repeating: 0, count: coldMiB << 20)
        for i in stride(from: 0, to: cold.count, by: 8) { cold[i] = UInt8(truncatingIfNeeded: i >> 6) }
        let source = cold
        let loop = group.next()
        let flushes = try loop.submit { FloorFlushes(eventLoop: loop) }.wait()
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FloorHandler(reply: fixed, cold: source, size: size, flushes: flushes))
                }
            }
            .bind(host: "127.0.0.1", port: port).wait()
        print("nio-floor: serving \(size)-byte replies on 127.0.0.1:\(port)")
        try channel.closeFuture.wait()
    }
}

/// The connections whose replies wait for the end of the loop iteration (as the daemon's
/// `LoopIteration`). Used on its event loop only.
private final class FloorFlushes: @unchecked Sendable {
    private let eventLoop: any EventLoop
    private var queued = false
    private var waiting: [FloorHandler] = []

    init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func flushAtEnd(_ handler: FloorHandler) {
        waiting.append(handler)
        guard !queued else { return }
        queued = true
        eventLoop.assumeIsolated().execute { [self] in
            queued = false
            for handler in waiting { handler.flush() }
            waiting.removeAll(keepingCapacity: true)
        }
    }
}

private final class FloorHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let reply: ByteBuffer
    private let cold: [UInt8]
    private let size: Int
    private var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    private let flushes: FloorFlushes
    private var out = ByteBuffer()
    private var partial: ByteBuffer?
    private var flushPending = false
    private var context: ChannelHandlerContext?

    init(reply: ByteBuffer, cold: [UInt8], size: Int, flushes: FloorFlushes) {
        self.reply = reply
        self.cold = cold
        self.size = size
        self.flushes = flushes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        out = context.channel.allocator.buffer(capacity: 16 << 10)
    }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var buffered = partial {
            partial = nil
            buffered.writeBuffer(&incoming)
            incoming = buffered
        }
        while let skipped = Self.commandLength(incoming.readableBytesView) {
            incoming.moveReaderIndex(forwardBy: skipped)
            if cold.isEmpty {
                out.writeImmutableBuffer(reply)
            } else {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let at = Int(seed >> 33) % (cold.count - size) & ~63
                out.writeString("$\(size)\r\n")
                cold.withUnsafeBytes { _ = out.writeBytes(UnsafeRawBufferPointer(rebasing: $0[at..<at + size])) }
                out.writeStaticString("\r\n")
            }
        }
        if incoming.readableBytes > 0 { partial = incoming }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !flushPending && out.readableBytes > 0 {
            flushPending = true
            flushes.flushAtEnd(self)
        }
    }

    func flush() {
        flushPending = false
        guard let context, out.readableBytes > 0 else { return }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        out.clear()
    }

    /// The length of the whole command (`*N` and N bulk strings) at the start of `bytes`,
    /// or nil when it is incomplete. Anything else is taken as one byte to skip.
    private static func commandLength(_ bytes: ByteBufferView) -> Int? {
        var i = bytes.startIndex
        func number(after prefix: UInt8) -> Int?? {
            guard i < bytes.endIndex else { return .some(nil) }
            guard bytes[i] == prefix else { return nil }
            var n = 0
            var j = i + 1
            while j < bytes.endIndex, bytes[j] != UInt8(ascii: "\r") {
                n = n * 10 + Int(bytes[j] &- UInt8(ascii: "0"))
                j += 1
            }
            guard j + 1 < bytes.endIndex else { return .some(nil) }
            i = j + 2
            return .some(n)
        }
        guard let header = number(after: UInt8(ascii: "*")) else { return bytes.isEmpty ? nil : 1 }
        guard let count = header else { return nil }
        for _ in 0..<count {
            guard let length = number(after: UInt8(ascii: "$")) else { return 1 }
            guard let length, i + length + 2 <= bytes.endIndex else { return nil }
            i += length + 2
        }
        return i - bytes.startIndex
    }
}
