import Histogram
import NIOCore
import VerbatimWire

/// Sent to every connection once all are connected: measure requests written from
/// `measureFrom`; write none after `until`.
struct RpcStart: Sendable {
    var measureFrom: UInt64
    var until: UInt64
}

/// What one connection measured.
struct RpcConnectionResult: Sendable {
    var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000_000, numberOfSignificantValueDigits: .three)
    /// Calls written at or after the warm-up's end and completed.
    var measured = 0
    /// Every call completed, warm-up included.
    var completed = 0
    var errors = 0
    var firstError: String?
    var responses = 0
    var responseBytes = 0
    var firstMeasuredSend = UInt64.max
    var lastCompletion: UInt64 = 0

    mutating func add(_ other: RpcConnectionResult) {
        histogram.add(other.histogram)
        measured += other.measured
        completed += other.completed
        errors += other.errors
        if firstError == nil { firstError = other.firstError }
        responses += other.responses
        responseBytes += other.responseBytes
        firstMeasuredSend = min(firstMeasuredSend, other.firstMeasuredSend)
        lastCompletion = max(lastCompletion, other.lastCompletion)
    }
}

/// One connection of the load generator: writes the preface, then keeps requests in
/// flight (stream id = slot + 1, reused once the slot's STATUS is read), parses frames in
/// place, flushes once per read burst and stamps the calls written in it at that flush.
///
/// With `plan.redis` it speaks RESP to a redis-server instead, the same way: `GET
/// key:%012d` of the same key indexes, replies (bulk strings) matched to their slots in
/// the order they were written.
final class RpcConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let plan: RpcPlan
    private var position: Int
    private var rng: SplitMix64
    private let limit: Int?
    private let promise: EventLoopPromise<RpcConnectionResult>

    private var result = RpcConnectionResult()
    private var sentTimes: [UInt64]
    private var freeSlots: [Int]
    private var unstamped: [Int] = []
    private var inFlight = 0
    private var measuredSent = 0
    private var measureFrom = UInt64.max
    private var until: UInt64 = 0
    private var started = false
    private var finished = false
    private var pending: ByteBuffer?
    private var out = ByteBuffer()
    /// RESP: the slots in flight, oldest first, in a ring of `plan.pipeline` entries.
    private var order: [Int]
    private var orderHead = 0

    init(plan: RpcPlan, offset: Int, seed: UInt64, limit: Int?, promise: EventLoopPromise<RpcConnectionResult>) {
        self.plan = plan
        self.position = offset % plan.sequence.count
        self.rng = SplitMix64(seed: seed)
        self.limit = limit
        self.promise = promise
        sentTimes = Array(repeating: 0, count: plan.pipeline)
        freeSlots = Array((0..<plan.pipeline).reversed())
        order = Array(repeating: 0, count: plan.pipeline)
    }

    func channelActive(context: ChannelHandlerContext) {
        out = context.channel.allocator.buffer(capacity: 64 << 10)
        if !plan.redis {
            var preface = context.channel.allocator.buffer(capacity: Preface.size)
            preface.writeBytes(Preface.bytes)
            context.writeAndFlush(wrapOutboundOut(preface), promise: nil)
        }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let start = event as? RpcStart else { return context.fireUserInboundEventTriggered(event) }
        measureFrom = start.measureFrom
        until = start.until
        started = true
        let now = monotonicNanoseconds()
        while !freeSlots.isEmpty && mayWrite(at: now) { write() }
        flush(context)
        finishIfDone(context)
    }

    private func mayWrite(at now: UInt64) -> Bool {
        guard now < until else { return false }
        if let limit, now >= measureFrom { return measuredSent < limit }
        return true
    }

    /// Writes one request into `out` in a free slot; it is stamped at the next flush.
    private func write() {
        let slot = freeSlots.removeLast()
        if plan.redis {
            writeRedisGet(index: Int(plan.sequence[position]))
            position += 1
            if position == plan.sequence.count { position = 0 }
            order[(orderHead + inFlight) % order.count] = slot
            unstamped.append(slot)
            inFlight += 1
            return
        }
        let key = plan.keys.paragraphs[Int(plan.sequence[position])]
        position += 1
        if position == plan.sequence.count { position = 0 }
        let method = plan.methods.count == 1 ? plan.methods[0] : plan.methods[Int(rng.next() % UInt64(plan.methods.count))]
        let doc = plan.keys.documents[Int(key.document)]
        let start = out.writerIndex
        out.writeFrameHeader(type: .request, stream: UInt32(slot + 1), length: 0)
        out.writeInteger(method.wire.rawValue)
        out.writeInteger(UInt32(0))  // no deadline
        if method == .findQuote {
            let quote = plan.quotes[position % plan.quotes.count]
            out.writeInteger(UInt8(0x0A))  // field 1, text
            out.writeVarint(UInt64(quote.count))
            out.writeBytes(quote)
        } else if method == .resolveCitation {
            // field 1, reference: the paragraph's document key, `#`, its number
            let number = Array(String(key.number).utf8)
            out.writeInteger(UInt8(0x0A))
            out.writeVarint(UInt64(doc.count + 1 + number.count))
            out.writeBytes(doc)
            out.writeInteger(UInt8(ascii: "#"))
            out.writeBytes(number)
        } else if method != .health {
            out.writeInteger(UInt8(0x0A))  // field 1, document
            out.writeVarint(UInt64(doc.count))
            out.writeBytes(doc)
        }
        if method == .getParagraph {
            out.writeInteger(UInt8(0x10))  // field 2, number
            out.writeVarint(UInt64(key.number))
        }
        out.setInteger(UInt32(out.writerIndex - start - Frame.headerSize), at: start)
        unstamped.append(slot)
        inFlight += 1
    }

    /// `GET key:%012d` as a RESP array.
    private func writeRedisGet(index: Int) {
        out.writeStaticString("*2\r\n$3\r\nGET\r\n$16\r\nkey:")
        var divisor = 100_000_000_000
        for _ in 0..<12 {
            out.writeInteger(UInt8(ascii: "0") + UInt8(index / divisor % 10))
            divisor /= 10
        }
        out.writeStaticString("\r\n")
    }


    private func flush(_ context: ChannelHandlerContext) {
        guard out.readableBytes > 0 else { return }
        let now = monotonicNanoseconds()
        for slot in unstamped {
            sentTimes[slot] = now
            if now >= measureFrom {
                measuredSent += 1
                result.firstMeasuredSend = min(result.firstMeasuredSend, now)
            }
        }
        unstamped.removeAll(keepingCapacity: true)
        let buffer = out
        out = context.channel.allocator.buffer(capacity: 64 << 10)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var p = pending {
            p.writeBuffer(&incoming)
            pending = nil
            consume(&p, context: context)
        } else {
            consume(&incoming, context: context)
        }
    }

    private func consume(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) {
        if plan.redis { return consumeRedis(&buffer, context: context) }
        while buffer.readableBytes >= Frame.headerSize, !finished {
            let at = buffer.readerIndex
            let length = Int(buffer.getInteger(at: at, as: UInt32.self)!)
            guard buffer.readableBytes >= Frame.headerSize + length else { break }
            let type = FrameType(rawValue: buffer.getInteger(at: at + 4, as: UInt8.self)!)
            let stream = buffer.getInteger(at: at + 6, as: UInt32.self)!
            switch type {
            case .response:
                result.responses += 1
                result.responseBytes += length
            case .status:
                let code = buffer.getInteger(at: at + Frame.headerSize, as: UInt32.self) ?? UInt32.max
                if code != 0 {
                    result.errors += 1
                    if result.firstError == nil {
                        let message = buffer.getString(at: at + Frame.headerSize + 4, length: max(0, length - 4)) ?? ""
                        result.firstError = "code \(code): \(message)"
                    }
                }
                completed(slot: Int(stream) - 1)
            case .goAway:
                let message = buffer.getString(at: at + Frame.headerSize + 8, length: max(0, length - 8)) ?? ""
                fail(context, BenchError("GOAWAY from the server: \(message)"))
                return
            default:
                break  // SETTINGS, PING
            }
            buffer.moveReaderIndex(forwardBy: Frame.headerSize + length)
        }
        if buffer.readableBytes > 0 { pending = buffer }
    }

    /// RESP replies: `$n` bulk strings (`$-1`, a missing key, counts as an error) and
    /// `-` errors, each completing the oldest slot in flight.
    private func consumeRedis(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) {
        replies: while !finished, let line = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\r")) {
            let at = buffer.readerIndex
            let lineLength = line - at
            guard buffer.readableBytes >= lineLength + 2 else { break replies }
            let head = buffer.getString(at: at + 1, length: lineLength - 1) ?? ""
            var consumed = lineLength + 2
            switch buffer.getInteger(at: at, as: UInt8.self) {
            case UInt8(ascii: "$"):
                guard let n = Int(head) else { return fail(context, BenchError("bad RESP bulk length \"\(head)\"")) }
                if n < 0 {
                    result.errors += 1
                    if result.firstError == nil { result.firstError = "missing key (nil reply)" }
                } else {
                    guard buffer.readableBytes >= consumed + n + 2 else { break replies }
                    consumed += n + 2
                    result.responses += 1
                    result.responseBytes += n
                }
            case UInt8(ascii: "-"):
                result.errors += 1
                if result.firstError == nil { result.firstError = head }
            default:
                return fail(context, BenchError("unexpected RESP reply \"\(head.prefix(40))\""))
            }
            buffer.moveReaderIndex(forwardBy: consumed)
            let slot = order[orderHead]
            orderHead = (orderHead + 1) % order.count
            completed(slot: slot)
        }
        if buffer.readableBytes > 0 { pending = buffer }
    }

    private func completed(slot: Int) {
        guard slot >= 0, slot < sentTimes.count else { return }
        let now = monotonicNanoseconds()
        let sent = sentTimes[slot]
        result.completed += 1
        if sent >= measureFrom {
            _ = result.histogram.record(now - sent)
            result.measured += 1
            result.lastCompletion = now
        }
        freeSlots.append(slot)
        inFlight -= 1
        if plan.window || inFlight == 0 {
            while !freeSlots.isEmpty && mayWrite(at: now) { write() }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush(context)
        finishIfDone(context)
        context.fireChannelReadComplete()
    }

    private func finishIfDone(_ context: ChannelHandlerContext) {
        guard started, !finished, inFlight == 0 else { return }
        finished = true
        promise.succeed(result)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(context, BenchError("the server closed the connection"))
        context.fireChannelInactive()
    }

    private func fail(_ context: ChannelHandlerContext, _ error: any Error) {
        guard !finished else { return }
        finished = true
        promise.fail(error)
        context.close(promise: nil)
    }
}

extension ByteBuffer {
    /// `value` as a protobuf varint.
    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeInteger(UInt8(v))
    }
}
