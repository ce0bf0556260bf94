import NIOCore
import Synchronization
import VerbatimWire

/// One call as the connection handler sees it.
final class CallSink: @unchecked Sendable {  // created off the loop, then used only on it
    let token: CallToken
    let method: Method
    let body: [UInt8]
    let deadlineMilliseconds: UInt32
    let continuation: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
    var stream: UInt32 = 0
    var timer: Scheduled<Void>?
    /// Finished locally (deadline, cancel): the stream id stays in use until the STATUS.
    var finished = false

    init(
        token: CallToken, method: Method, body: [UInt8], deadlineMilliseconds: UInt32,
        continuation: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
    ) {
        self.token = token
        self.method = method
        self.body = body
        self.deadlineMilliseconds = deadlineMilliseconds
        self.continuation = continuation
    }

    func finish(_ error: VerbatimError?) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        timer = nil
        if let error { continuation.finish(throwing: error) } else { continuation.finish() }
    }
}

/// The client side of one connection, on its event loop: stream ids, calls in flight
/// matched by stream id, a queue beyond the server's concurrency limit, deadlines, CANCEL.
final class ClientHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = ByteBuffer

    private var ready: EventLoopPromise<Settings>?
    private var settings = Settings()
    private var inFlight: [UInt32: CallSink] = [:]
    private var byToken: [ObjectIdentifier: CallSink] = [:]
    private var queue: [CallSink] = []
    private var queueHead = 0
    private var nextStream: UInt32 = 1
    private var failure: VerbatimError?
    private var goAwayLastStream: UInt32?
    private var pings: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    private var nextPing: UInt64 = 1
    private var flushScheduled = false
    private var context: ChannelHandlerContext?

    private let liveness: Connection.Liveness

    init(ready: EventLoopPromise<Settings>, liveness: Connection.Liveness) {
        self.ready = ready
        self.liveness = liveness
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { sendPreface(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendPreface(context)
        context.fireChannelActive()
    }

    private var prefaceSent = false

    /// The preface, once, as soon as the connection is up.
    private func sendPreface(_ context: ChannelHandlerContext) {
        guard !prefaceSent else { return }
        prefaceSent = true
        var b = context.channel.allocator.buffer(capacity: Preface.size)
        b.writeBytes(Preface.bytes)
        context.writeAndFlush(wrapOutboundOut(b), promise: nil)
    }
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        // A connection that never came up (refused, timed out) ends here: the promise
        // `open` waits on must not be left unfulfilled.
        ready?.fail(failure ?? VerbatimError(.unavailable, "the connection closed"))
        ready = nil
    }

    // MARK: Calls

    func start(_ sink: CallSink) {
        if let failure {
            sink.finish(failure)
            return
        }
        byToken[ObjectIdentifier(sink.token)] = sink
        queue.append(sink)
        sendQueued()
    }

    func cancel(_ token: CallToken) {
        guard let sink = byToken.removeValue(forKey: ObjectIdentifier(token)) else { return }
        sink.finish(VerbatimError(.cancelled, "the call was cancelled"))
        if sink.stream != 0, inFlight[sink.stream] != nil {
            write(.cancel(stream: sink.stream))
        }
    }

    private func sendQueued() {
        guard ready == nil, let context else { return }
        while queueHead < queue.count, inFlight.count < settings.maxConcurrentStreams {
            let sink = queue[queueHead]
            queueHead += 1
            if sink.finished { continue }
            var stream = nextStream
            while stream == 0 || inFlight[stream] != nil { stream &+= 1 }
            nextStream = stream &+ 1
            sink.stream = stream
            inFlight[stream] = sink
            if sink.deadlineMilliseconds > 0 {
                sink.timer = context.eventLoop.assumeIsolated().scheduleTask(
                    in: .milliseconds(Int64(sink.deadlineMilliseconds))
                ) { [self] in
                    guard !sink.finished else { return }
                    byToken[ObjectIdentifier(sink.token)] = nil
                    sink.finish(VerbatimError(.deadlineExceeded, "deadline of \(sink.deadlineMilliseconds) ms exceeded"))
                    if inFlight[sink.stream] === sink { write(.cancel(stream: sink.stream)) }
                }
            }
            var b = context.channel.allocator.buffer(capacity: Frame.headerSize + RequestHeader.size + sink.body.count)
            b.writeFrameHeader(type: .request, stream: stream, length: RequestHeader.size + sink.body.count)
            b.writeInteger(sink.method.rawValue)
            b.writeInteger(sink.deadlineMilliseconds)
            b.writeBytes(sink.body)
            context.write(wrapOutboundOut(b), promise: nil)
            scheduleFlush()
        }
        if queueHead > 1024 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
    }

    private func write(_ frame: Frame) {
        guard let context else { return }
        var b = context.channel.allocator.buffer(capacity: Frame.headerSize + frame.payload.readableBytes)
        b.writeFrame(frame)
        context.write(wrapOutboundOut(b), promise: nil)
        scheduleFlush()
    }

    /// One flush for all the writes of one event-loop tick.
    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            self.context?.flush()
        }
    }

    func ping(_ continuation: CheckedContinuation<Void, any Error>) {
        if let failure {
            continuation.resume(throwing: failure)
            return
        }
        let id = nextPing
        nextPing += 1
        pings[id] = continuation
        write(.ping(id))
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.type {
        case .settings:
            if let s = try? Settings(payload: frame.payload) { settings = s }
            if let ready {
                self.ready = nil
                ready.succeed(settings)
            }
            sendQueued()
        case .response:
            guard let sink = inFlight[frame.stream], !sink.finished else { return }
            sink.continuation.yield(frame.payload)
        case .status:
            guard let sink = inFlight.removeValue(forKey: frame.stream) else { return }
            byToken[ObjectIdentifier(sink.token)] = nil
            let (code, message) = frame.statusParts() ?? (.internal, "malformed STATUS frame")
            sink.finish(code == .ok ? nil : VerbatimError(code, message))
            sendQueued()
            closeIfDrained(context)
        case .ping:
            if frame.flags & Frame.ackFlag != 0 {
                if let id = frame.pingData(), let c = pings.removeValue(forKey: id) { c.resume() }
            } else if let data = frame.pingData() {
                write(.ping(data, ack: true))
            }
        case .goAway:
            let (last, code, message) = frame.goAwayParts() ?? (0, .protocolError, "malformed GOAWAY")
            goAwayLastStream = last
            liveness.usable.store(false, ordering: .relaxed)
            let error = VerbatimError(.unavailable, "the server sent GOAWAY \(code): \(message)")
            failure = error
            // Calls the server did not accept will not be answered.
            for (stream, sink) in inFlight where stream > last {
                inFlight[stream] = nil
                byToken[ObjectIdentifier(sink.token)] = nil
                sink.finish(error)
            }
            for sink in queue[queueHead...] { sink.finish(error) }
            queue.removeAll()
            queueHead = 0
            closeIfDrained(context)
        default:
            break
        }
    }

    private func closeIfDrained(_ context: ChannelHandlerContext) {
        if goAwayLastStream != nil && inFlight.isEmpty { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = failure ?? VerbatimError(.unavailable, "the connection closed")
        failAll(error)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(VerbatimError(.unavailable, "connection error: \(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: VerbatimError) {
        liveness.usable.store(false, ordering: .relaxed)
        if failure == nil { failure = error }
        ready?.fail(error)
        ready = nil
        for sink in inFlight.values { sink.finish(error) }
        inFlight.removeAll()
        for sink in queue[queueHead...] { sink.finish(error) }
        queue.removeAll()
        queueHead = 0
        byToken.removeAll()
        for c in pings.values { c.resume(throwing: error) }
        pings.removeAll()
    }
}
