import Logging
import NIOCore
import SwiftProtobuf
import VerbatimStore
import VerbatimWire

/// One connection: reads the preface and frames from the bytes as they arrive (in place,
/// no decoder handler in front), SETTINGS after the preface, calls dispatched by method
/// onto the store on the event loop (GetParagraph's reads deferred to the loop iteration's
/// end and prefetched together), replies written without a flush each and flushed once
/// per loop iteration (`LoopIteration`; at once by the loop's only connection), streams
/// pumped while the channel is writable, GOAWAY on errors, timeouts and drain.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent by the server on graceful shutdown.
    struct Drain {}

    /// A call in flight: a delayed call (test hook) or a stream being pumped.
    final class Call {
        let stream: UInt32
        let deadline: NIODeadline?
        var source: (any StreamSource)?
        var scheduled: Scheduled<Void>?
        var paused = false
        init(stream: UInt32, deadline: NIODeadline?) {
            self.stream = stream
            self.deadline = deadline
        }
    }

    let store: Store
    /// The snapshot and document cache GetParagraph(s) calls share with the other
    /// connections of this event loop, and the flush at the iteration's end.
    private let iteration: LoopIteration
    /// `iteration.session`, for ending it.
    private var session: ReadSession { iteration.session }
    let configuration: VerbatimServer.Configuration
    var logger: Logger
    let maxFrameSize: Int

    // The state touched by every request, without dynamic exclusivity checks (checking
    // was 7% of the daemon's samples at 50 x 16, a third of it on these): the handler runs
    // on its channel's event loop only, and no access to one of these overlaps another to
    // the same one (none of the calls made while one is being modified reaches the handler).
    @exclusivity(unchecked) private var out = ByteBuffer()
    /// Bytes of a frame (or the preface) not yet complete.
    @exclusivity(unchecked) private var partial: ByteBuffer?
    @exclusivity(unchecked) private var needsFlush = false
    @exclusivity(unchecked) private var flushPending = false
    @exclusivity(unchecked) private var calls: [UInt32: Call] = [:]
    /// GetParagraph calls found but not yet read (`deferRead`): their replies are written
    /// before anything else is written to `out`, so in the order of their requests.
    @exclusivity(unchecked) private var pendingReads: [(stream: UInt32, location: ParagraphLocation)] = []
    @exclusivity(unchecked) private var completingReads = false
    @exclusivity(unchecked) private var lastStream: UInt32 = 0
    private var draining: Bool
    private var closing = false
    private var goAwaySent = false
    @exclusivity(unchecked) private var prefaceSeen = false
    @exclusivity(unchecked) private var lastRead = NIODeadline.now()
    private var handshakeTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var context: ChannelHandlerContext!

    init(
        store: Store, configuration: VerbatimServer.Configuration, logger: Logger, draining: Bool, iteration: LoopIteration
    ) {
        self.store = store
        self.iteration = iteration
        self.configuration = configuration
        self.logger = logger
        self.maxFrameSize = configuration.maxFrameSize
        self.draining = draining
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        iteration.connectionAdded()
        out = context.channel.allocator.buffer(capacity: 16 << 10)
        if context.channel.isActive { armHandshakeTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armHandshakeTimer(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        pendingReads.removeAll()
        iteration.connectionRemoved()
        cancelTimers()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        partial = nil
        pendingReads.removeAll()
        for call in calls.values { call.scheduled?.cancel() }
        calls.removeAll()
        context.fireChannelInactive()
    }

    private func cancelTimers() {
        handshakeTimer?.cancel()
        handshakeTimer = nil
        idleTimer?.cancel()
        idleTimer = nil
    }

    private func armHandshakeTimer(_ context: ChannelHandlerContext) {
        guard handshakeTimer == nil, !prefaceSeen else { return }
        handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.handshakeTimeout) { [self] in
            guard !prefaceSeen, let context = self.context else { return }
            fail(context, WireError(.timeout, "no preface within the handshake timeout"))
        }
    }

    private func armIdleTimer(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        idleTimer?.cancel()
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard let context = self.context, !closing else { return }
            let due = lastRead + configuration.idleTimeout
            if calls.isEmpty && NIODeadline.now() >= due {
                fail(context, WireError(.timeout, "idle for \(configuration.idleTimeout.nanoseconds / 1_000_000) ms"))
            } else {
                armIdleTimer(context, at: max(due, NIODeadline.now() + .nanoseconds(configuration.idleTimeout.nanoseconds / 10)))
            }
        }
    }

    /// The preface has arrived: SETTINGS, then the idle timer instead of the handshake's.
    private func prefaceReceived(_ context: ChannelHandlerContext) {
        prefaceSeen = true
        handshakeTimer?.cancel()
        handshakeTimer = nil
        out.writeFrame(Frame(type: .settings, stream: 0, payload: configuration.settings.payload))
        needsFlush = true
        armIdleTimer(context, at: lastRead + configuration.idleTimeout)
        if draining { startDraining(context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is Drain:
            if prefaceSeen {
                startDraining(context)
            } else {
                closing = true
                context.close(promise: nil)
            }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        lastRead = .now()
        iteration.beginRead()
        var incoming = unwrapInboundIn(data)
        if var buffered = partial {
            partial = nil
            buffered.writeBuffer(&incoming)
            consume(&buffered, context: context)
        } else {
            consume(&incoming, context: context)
        }
    }

    /// Handles the preface and every whole frame in `buffer`; keeps the rest for the next read.
    private func consume(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) {
        do {
            if !prefaceSeen {
                guard try Preface.read(from: &buffer) else {
                    partial = buffer
                    return
                }
                prefaceReceived(context)
            }
            while !closing, let frame = try FrameDecoder.parse(&buffer, maxFrameSize: maxFrameSize) {
                try handle(frame, context: context)
                if out.readableBytes >= 64 << 10 { emit(context) }
            }
        } catch let error as WireError {
            fail(context, error)
        } catch {
            fail(context, WireError(.internalError, "\(error)"))
        }
        if !closing && buffer.readableBytes > 0 {
            buffer.discardReadBytes()
            partial = buffer
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if iteration.endRead() {
            if needsFlush || out.readableBytes > 0 { flush(context) }
        } else if !flushPending && (needsFlush || out.readableBytes > 0) {
            flushPending = true
            iteration.flushAtEnd(self)
        }
        // Not passed on: this handler is the pipeline's last, and the tail does nothing with it.
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let wire = error as? WireError {
            fail(context, wire)
        } else {
            // I/O errors (connection reset): nothing to tell the peer.
            logger.debug("connection error: \(error)")
            closing = true
            context.close(promise: nil)
        }
    }

    /// Back-pressure: no read while the outbound buffer is over its high-water mark
    /// (`autoRead` off), reads again once it has drained below the low one.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        if writable {
            for call in calls.values where call.paused {
                call.paused = false
                pump(call, context: context)
            }
            flush(context)
        }
        context.channel.setAutoRead(writable)
        context.fireChannelWritabilityChanged()
    }

    private func handle(_ frame: Frame, context: ChannelHandlerContext) throws {
        switch frame.type {
        case .request:
            guard frame.stream != 0 else { throw WireError(.protocolError, "REQUEST on stream 0") }
            guard frame.flags == 0 else { throw WireError(.protocolError, "REQUEST with unknown flags") }
            let (method, deadlineMS, body) = try frame.requestParts()
            guard calls[frame.stream] == nil else {
                throw WireError(.protocolError, "stream \(frame.stream) reused while in flight")
            }
            if draining {
                writeStatus(frame.stream, .unavailable, "the server is shutting down")
                return
            }
            guard calls.count < configuration.maxConcurrentStreams else {
                writeStatus(
                    frame.stream, .resourceExhausted,
                    "more than \(configuration.maxConcurrentStreams) concurrent streams")
                return
            }
            lastStream = max(lastStream, frame.stream)
            let deadline = deadlineMS == 0 ? nil : NIODeadline.now() + .milliseconds(Int64(deadlineMS))
            if let delay = configuration.testingCallDelay {
                let call = Call(stream: frame.stream, deadline: deadline)
                calls[frame.stream] = call
                call.scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
                    guard let context = self.context, calls[call.stream] === call else { return }
                    calls[call.stream] = nil
                    start(method, stream: call.stream, deadline: deadline, body: body, context: context)
                    flush(context)
                    finishIfDrained(context)
                }
            } else {
                start(method, stream: frame.stream, deadline: deadline, body: body, context: context)
            }
        case .cancel:
            guard frame.stream != 0 else { throw WireError(.protocolError, "CANCEL on stream 0") }
            if let call = calls.removeValue(forKey: frame.stream) {
                call.scheduled?.cancel()
                writeStatus(frame.stream, .cancelled, "cancelled by the client")
                finishIfDrained(context)
            }
        case .ping:
            guard frame.stream == 0, let data = frame.pingData() else {
                throw WireError(.protocolError, "PING must carry 8 bytes on stream 0")
            }
            if frame.flags & Frame.ackFlag == 0 {
                writeDeferredReads()
                out.writeFrame(.ping(data, ack: true))
                needsFlush = true
            }
        case .response, .status, .goAway, .settings:
            throw WireError(.protocolError, "\(frame.type) frame from a client")
        default:
            break  // unknown frame types are ignored
        }
    }

    // MARK: Calls

    /// Runs a call now: unary calls complete here; streams start pumping.
    private func start(_ method: Method, stream: UInt32, deadline: NIODeadline?, body: ByteBuffer, context: ChannelHandlerContext) {
        if let deadline, NIODeadline.now() >= deadline {
            writeStatus(stream, .deadlineExceeded, "deadline exceeded before the call ran")
            return
        }
        // Every other method takes its own read transaction: the loop's snapshot is given
        // back first (see ReadSession: no second read while one is held on this thread).
        if method != .getParagraph && method != .getParagraphs { iteration.endSession() }
        do {
            switch method {
            case .getParagraph: try getParagraph(stream, body)
            case .getParagraphs: try getParagraphs(stream, body)
            case .getDocument:
                // The document's stored record, copied once from the map into the frame.
                let req = try Self.parse(Verbatim_V1_GetDocumentRequest.self, body)
                try respond(stream) { out in
                    let found: Void? = try store.read { snap in
                        try snap.documentID(req.document).flatMap { id in
                            try snap.withDocumentBytes(id: id) { span in span.withUnsafeBytes { _ = out.writeBytes($0) } }
                        }
                    }
                    guard found != nil else { throw StoreError(.notFound, "unknown document \"\(req.document)\"") }
                }
            case .streamDocument:
                let source = try DocumentSource(store: store, request: Self.parse(Verbatim_V1_StreamDocumentRequest.self, body))
                startStream(stream, deadline: deadline, source: source, context: context)
            case .listDocuments: try listDocuments(stream, Self.parse(Verbatim_V1_ListDocumentsRequest.self, body))
            case .getSpeaker:
                // The speaker's stored record, copied once from the map into the frame.
                let req = try Self.parse(Verbatim_V1_GetSpeakerRequest.self, body)
                try respond(stream) { out in
                    let found: Void? = try store.read { snap in
                        try snap.withSpeakerBytes(id: req.id) { span in span.withUnsafeBytes { _ = out.writeBytes($0) } }
                    }
                    guard found != nil else { throw StoreError(.notFound, "unknown speaker \(req.id)") }
                }
            case .findSpeakers:
                // The speakers' stored records, each copied once into a FindSpeakersResponse.
                let req = try Self.parse(Verbatim_V1_FindSpeakersRequest.self, body)
                try respond(stream) { out in
                    try store.read { snap in try snap.forEachSpeakerRecord(named: req.name) { out.writeField(1, $0) } }
                }
            case .speakerParagraphs:
                let source = try SpeakerSource(store: store, request: Self.parse(Verbatim_V1_SpeakerParagraphsRequest.self, body))
                startStream(stream, deadline: deadline, source: source, context: context)
            case .stats:
                _ = try Self.parse(Verbatim_V1_StatsRequest.self, body)
                let s = try store.read { try $0.statistics() }
                var res = Verbatim_V1_StatsResponse()
                res.documents = UInt64(s.documents)
                res.paragraphs = UInt64(s.paragraphs)
                res.speakers = UInt64(s.speakers)
                res.speakerNames = UInt64(s.speakerNames)
                res.citations = UInt64(s.citations)
                res.textBytes = UInt64(s.textBytes)
                res.databaseBytes = s.databaseBytes.mapValues { UInt64($0) }
                try respond(stream, res)
            case .health:
                _ = try Self.parse(Verbatim_V1_HealthRequest.self, body)
                var res = Verbatim_V1_HealthResponse()
                res.status = draining ? .notServing : .serving
                res.schemaVersion = Store.schemaVersion
                res.server = "verbatimd/\(VerbatimServer.version)"
                try respond(stream, res)
            case .resolveCitation:
                try respond(stream, bytes: CitationMethods.resolveCitation(store, Self.parse(Verbatim_V1_ResolveCitationRequest.self, body)))
            case .findQuote:
                try respond(stream, bytes: CitationMethods.findQuote(store, Self.parse(Verbatim_V1_FindQuoteRequest.self, body)))
            case .citedBy:
                try respond(stream, bytes: CitationMethods.citedBy(store, Self.parse(Verbatim_V1_CitedByRequest.self, body)))
            case .references:
                try respond(stream, CitationMethods.references(store, Self.parse(Verbatim_V1_ReferencesRequest.self, body)))
            case .speakerQuotations:
                let req = try Self.parse(Verbatim_V1_SpeakerQuotationsRequest.self, body)
                try respond(stream, bytes: CitationMethods.speakerQuotations(store, req))
            default:
                writeStatus(stream, .unimplemented, "unknown method id \(method.rawValue)")
            }
        } catch {
            let (code, message) = CallStatus.of(error)
            writeStatus(stream, code, message)
        }
    }

    static func parse<M: Message>(_ type: M.Type, _ body: ByteBuffer) throws -> M {
        do {
            return try M(serializedBytes: Array(body.readableBytesView))
        } catch {
            throw CallStatus.InvalidRequest(message: "\(M.protoMessageName) does not parse: \(error)")
        }
    }

    /// GetParagraph: the stored bytes copied once, from the map into the outgoing buffer,
    /// as field 1 of a ParagraphAnswer; no decode, no re-encode. The request is read in
    /// place when it has the plain shape (`GetParagraphFields`), else by SwiftProtobuf; the
    /// paragraph is found through the event loop's `DocumentCache`.
    private func getParagraph(_ stream: UInt32, _ body: ByteBuffer) throws {
        if let fields = GetParagraphFields(body), fields.number >= 1 {
            let location = try body.withUnsafeReadableBytes { raw in
                try iteration.heldSession.locate(document: UnsafeRawBufferPointer(rebasing: raw[fields.document]), number: fields.number)
            }
            if let location {
                deferRead(stream, location)
                return
            }
        }
        let written: Bool
        if let fields = GetParagraphFields(body) {
            written = try body.withUnsafeReadableBytes { raw in
                try reply(stream, paragraph: fields.number, of: UnsafeRawBufferPointer(rebasing: raw[fields.document]))
            }
        } else {
            let req = try Self.parse(Verbatim_V1_GetParagraphRequest.self, body)
            var document = req.document
            written = try document.withUTF8 { try reply(stream, paragraph: req.number, of: UnsafeRawBufferPointer($0)) }
        }
        guard written else { throw CallStatus.TooLarge() }
        needsFlush = true
    }

    /// Writes paragraph `number` of `document` (key or symbol, UTF-8) as the reply on
    /// `stream`. - Returns: false, writing nothing, when it is larger than a frame.
    private func reply(_ stream: UInt32, paragraph number: UInt32, of document: UnsafeRawBufferPointer) throws -> Bool {
        guard number >= 1 else { throw StoreError(.invalidArgument, "paragraph numbers start at 1, not 0") }
        writeDeferredReads()
        let limit = maxFrameSize
        return try iteration.heldSession.withParagraphBytes(document: document, number: number) { paragraph in
            out.writeParagraphReply(stream: stream, paragraph: paragraph, limit: limit)
        }
    }

    /// Defers the read of a GetParagraph call found at `location` (in the loop's held
    /// session) to the end of the loop iteration, where the paragraphs of all the
    /// connections' calls are prefetched, then copied (`LoopIteration.writeDeferredReads`):
    /// their cache misses overlap instead of following one another. At most 64 wait.
    private func deferRead(_ stream: UInt32, _ location: ParagraphLocation) {
        if pendingReads.isEmpty { iteration.deferred(self) }
        pendingReads.append((stream, location))
        needsFlush = true
        if pendingReads.count >= 64 {
            prefetchDeferredReads()
            writeDeferredReads()
        }
    }

    /// Asks the CPU for the paragraphs of the deferred reads.
    func prefetchDeferredReads() {
        for read in pendingReads { session.prefetchRecord(read.location) }
    }

    /// Writes the replies of the deferred reads, in order, while the session that found
    /// them is held. Called before anything else is written to `out`.
    @inline(__always)
    func writeDeferredReads() {
        if !pendingReads.isEmpty && !completingReads { writePendingReads() }
    }

    private func writePendingReads() {
        completingReads = true
        let limit = maxFrameSize
        for (stream, location) in pendingReads {
            do {
                let written = try session.withParagraphBytes(at: location) { paragraph in
                    out.writeParagraphReply(stream: stream, paragraph: paragraph, limit: limit)
                }
                if !written { throw CallStatus.TooLarge() }
            } catch {
                let (code, message) = CallStatus.of(error)
                out.writeStatusFrame(stream: stream, code: code, message: message)
            }
        }
        pendingReads.removeAll(keepingCapacity: true)
        completingReads = false
    }

    /// GetParagraphs: one snapshot; each stored paragraph copied once into a
    /// ParagraphResult (field 1 of GetParagraphsResponse), errors per reference.
    private func getParagraphs(_ stream: UInt32, _ body: ByteBuffer) throws {
        let req = try Self.parse(Verbatim_V1_GetParagraphsRequest.self, body)
        try respond(stream) { out in
            try iteration.heldSession.read { snap in
                for ref in req.refs {
                    var missing: String?
                    if ref.number < 1 {
                        missing = "paragraph numbers start at 1, not 0"
                    } else if let id = try snap.documentID(ref.document) {
                        let found: Void? = try snap.withParagraphBytes(documentID: id, number: ref.number) { span in
                            let n = span.byteCount
                            out.writeInteger(UInt8(0x0A))  // results
                            Varint.write(1 + Varint.size(n) + n, to: &out)
                            span.withUnsafeBytes { out.writeField(1, $0) }  // paragraph
                        }
                        if found == nil {
                            missing = try snap.missingParagraph(documentID: id, number: ref.number).message
                        }
                    } else {
                        missing = "unknown document \"\(ref.document)\""
                    }
                    if let missing {
                        var status = Verbatim_V1_Status()
                        status.code = ref.number < 1 ? StatusCode.invalidArgument.rawValue : StatusCode.notFound.rawValue
                        status.message = missing
                        var result = Verbatim_V1_ParagraphResult()
                        result.error = status
                        let bytes: [UInt8] = try result.serializedBytes()
                        bytes.withUnsafeBytes { out.writeField(1, $0) }
                    }
                }
            }
        }
    }

    /// ListDocuments: the page's stored document records, each copied once from the map
    /// into a ListDocumentsResponse (no decode, no re-encode).
    private func listDocuments(_ stream: UInt32, _ req: Verbatim_V1_ListDocumentsRequest) throws {
        let dates = try CitationMethods.dates(from: req.dateFrom, to: req.dateTo)
        try respond(stream) { out in
            let next = try store.read { snap in
                try snap.forEachDocumentRecord(
                    after: req.afterID, dates: dates, kind: req.kind.isEmpty ? nil : req.kind,
                    limit: req.pageSize == 0 ? 100 : min(Int(req.pageSize), 1000)
                ) { out.writeField(1, $0) }
            }
            if next != 0 {
                out.writeInteger(UInt8(0x10))  // next_after_id, varint
                Varint.write(Int(next), to: &out)
            }
        }
    }

    // MARK: Streams

    private func startStream(_ stream: UInt32, deadline: NIODeadline?, source: any StreamSource, context: ChannelHandlerContext) {
        let call = Call(stream: stream, deadline: deadline)
        call.source = source
        calls[stream] = call
        pump(call, context: context)
    }

    /// Writes items of a stream while the channel is writable, a chunk at a time, then
    /// yields to the event loop (so that CANCEL and other connections get their turn).
    private func pump(_ call: Call, context: ChannelHandlerContext) {
        guard calls[call.stream] === call, let source = call.source else { return }
        iteration.endSession()  // the source reads in its own transactions (see `start`)
        let chunk = configuration.testingCallDelay == nil ? 32 : 1
        // The start of the RESPONSE frame being written: dropped when its item fails.
        var start = out.writerIndex
        do {
            var more = true
            for _ in 0..<chunk {
                start = out.writerIndex
                if let deadline = call.deadline, NIODeadline.now() >= deadline {
                    throw CallStatus.DeadlineExceeded()
                }
                out.writeFrameHeader(type: .response, stream: call.stream, length: 0)
                more = try source.next(into: &out)
                let length = out.writerIndex - start - Frame.headerSize
                if length == 0 && !more {
                    out.moveWriterIndex(to: start)
                    break
                }
                guard length <= maxFrameSize else {
                    out.moveWriterIndex(to: start)
                    throw CallStatus.TooLarge()
                }
                out.setInteger(UInt32(length), at: start)
                if !more { break }
            }
            if !more {
                calls[call.stream] = nil
                writeStatus(call.stream, .ok, "")
            }
        } catch {
            out.moveWriterIndex(to: start)
            calls[call.stream] = nil
            let (code, message) = CallStatus.of(error)
            writeStatus(call.stream, code, message)
        }
        flush(context)
        if calls[call.stream] === call {
            if !context.channel.isWritable {
                call.paused = true
            } else if let delay = configuration.testingCallDelay {
                call.scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
                    guard let context = self.context else { return }
                    pump(call, context: context)
                }
            } else {
                context.eventLoop.assumeIsolated().execute { [self] in
                    guard let context = self.context else { return }
                    pump(call, context: context)
                }
            }
        } else {
            finishIfDrained(context)
        }
    }

    // MARK: Writing

    private func respond(_ stream: UInt32, _ message: some Message) throws {
        try respond(stream, bytes: message.serializedBytes())
    }

    /// A RESPONSE frame whose message `write` appends to the outgoing buffer in place, then
    /// the call's STATUS frame, OK; when `write` throws or the message is larger than a
    /// frame, nothing of it is left in the buffer.
    private func respond(_ stream: UInt32, writing write: (inout ByteBuffer) throws -> Void) throws {
        writeDeferredReads()
        let start = out.writerIndex
        out.writeFrameHeader(type: .response, stream: stream, length: 0)
        do {
            try write(&out)
        } catch {
            out.moveWriterIndex(to: start)
            throw error
        }
        let length = out.writerIndex - start - Frame.headerSize
        guard length <= maxFrameSize else {
            out.moveWriterIndex(to: start)
            throw CallStatus.TooLarge()
        }
        out.setInteger(UInt32(length), at: start)
        writeStatus(stream, .ok, "")
    }

    /// A RESPONSE frame of an encoded message, then the call's STATUS frame, OK.
    private func respond(_ stream: UInt32, bytes: [UInt8]) throws {
        guard bytes.count <= maxFrameSize else { throw CallStatus.TooLarge() }
        writeDeferredReads()
        out.writeFrameHeader(type: .response, stream: stream, length: bytes.count)
        out.writeBytes(bytes)
        writeStatus(stream, .ok, "")
    }

    private func writeStatus(_ stream: UInt32, _ code: StatusCode, _ message: String) {
        writeDeferredReads()
        out.writeStatusFrame(stream: stream, code: code, message: message)
        needsFlush = true
    }

    /// Hands the accumulated bytes to the channel, without flushing. `out` keeps its storage
    /// (shared until the socket has taken the bytes; writing to it meanwhile copies nothing
    /// old, since its readable part is now empty).
    private func emit(_ context: ChannelHandlerContext) {
        writeDeferredReads()
        guard out.readableBytes > 0 else { return }
        context.write(wrapOutboundOut(out), promise: nil)
        out.moveReaderIndex(to: out.writerIndex)
        needsFlush = true
    }

    /// The flush queued by `channelReadComplete`, at the end of the loop iteration.
    func flushAtIterationEnd() {
        flushPending = false
        guard let context else { return }
        flush(context)
    }

    /// The replies written so far, flushed.
    private func flush(_ context: ChannelHandlerContext) {
        writeDeferredReads()
        if out.readableBytes > 0 {
            // One pass down the pipeline for both.
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            out.moveReaderIndex(to: out.writerIndex)
        } else if needsFlush {
            context.flush()
        }
        needsFlush = false
        // Once the socket has taken the bytes, the storage is the handler's alone again and
        // is reused without an allocation; one grown past 64 KiB is let go.
        if out.capacity > 64 << 10 {
            out = context.channel.allocator.buffer(capacity: 16 << 10)
        } else {
            out.clear()
        }
    }

    // MARK: Ending

    private func startDraining(_ context: ChannelHandlerContext) {
        guard !goAwaySent, !closing else { return }
        draining = true
        goAwaySent = true
        writeDeferredReads()
        out.writeFrame(.goAway(lastStream: lastStream, code: .noError, message: "server shutting down"))
        needsFlush = true
        flush(context)
        finishIfDrained(context)
    }

    private func finishIfDrained(_ context: ChannelHandlerContext) {
        guard draining, calls.isEmpty, !closing else { return }
        closing = true
        flush(context)
        context.close(promise: nil)
    }

    /// A connection error: GOAWAY with its code, then close; one log line.
    private func fail(_ context: ChannelHandlerContext, _ error: WireError) {
        guard !closing else { return }
        closing = true
        logger.warning("connection rejected: \(error.code): \(error.message)")
        for call in calls.values { call.scheduled?.cancel() }
        calls.removeAll()
        writeDeferredReads()
        out.writeFrame(.goAway(lastStream: lastStream, code: error.code, message: error.message))
        let buffer = out
        out = context.channel.allocator.buffer(capacity: 0)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }
}

extension VerbatimServer {
    /// The version reported by Health.
    public static let version = "0.1.0"
}

/// The server's hot writes, each one mutating call on the outgoing buffer (one exclusivity
/// and uniqueness check on the handler's buffer instead of one per field, and no generic
/// collection copy).
extension ByteBuffer {
    /// A RESPONSE frame whose payload is a ParagraphAnswer with `paragraph` (stored bytes of
    /// a `verbatim.v1.Paragraph`) as field 1, then the call's STATUS frame, OK; false,
    /// writing nothing, when the payload would be longer than `limit`.
    mutating func writeParagraphReply(stream: UInt32, paragraph: UnsafeRawBufferPointer, limit: Int) -> Bool {
        let n = paragraph.count
        let length = 1 + Varint.size(n) + n
        guard length <= limit else { return false }
        let total = Frame.headerSize + length + Frame.headerSize + 4
        writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            var p = out.baseAddress!
            p = Frame.storeHeader(at: p, type: .response, stream: stream, length: length)
            p.storeBytes(of: 0x0A, as: UInt8.self)
            p = Varint.put(n, at: p + 1)
            if n > 0 { p.copyMemory(from: paragraph.baseAddress!, byteCount: n) }
            p = Frame.storeHeader(at: p + n, type: .status, stream: stream, length: 4)
            p.storeBytes(of: StatusCode.ok.rawValue.bigEndian, as: UInt32.self)
            return total
        }
        return true
    }

    /// A STATUS frame; a message over 4,096 bytes is cut to at most 4,096, at a scalar boundary.
    mutating func writeStatusFrame(stream: UInt32, code: StatusCode, message: String) {
        var message = message
        if message.utf8.count > 4096 {
            let bytes = Array(message.utf8)
            var cut = 4096
            while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // not inside a scalar
            message = String(decoding: bytes[..<cut], as: UTF8.self)
        }
        let length = 4 + message.utf8.count
        writeWithUnsafeMutableBytes(minimumWritableBytes: Frame.headerSize + length) { out in
            let p = Frame.storeHeader(at: out.baseAddress!, type: .status, stream: stream, length: length)
            p.storeBytes(of: code.rawValue.bigEndian, as: UInt32.self)
            message.withUTF8 { if let b = $0.baseAddress { (p + 4).copyMemory(from: b, byteCount: $0.count) } }
            return Frame.headerSize + length
        }
    }
}

extension Channel {
    /// Turns `autoRead` on or off from the channel's event loop.
    fileprivate func setAutoRead(_ on: Bool) {
        guard let options = syncOptions else { return }
        try? options.setOption(ChannelOptions.autoRead, value: on)
    }
}
