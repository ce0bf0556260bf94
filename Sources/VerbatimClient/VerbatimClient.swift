// The client library; see docs/PROTOCOL.md.
import NIOCore
import NIOPosix
import SwiftProtobuf
import Synchronization
import VerbatimProtocol
import VerbatimWire

/// A call's failure: the status code and message the server sent, or a local one
/// (`UNAVAILABLE` when the connection fails or is shutting down, `DEADLINE_EXCEEDED` when the
/// call's deadline passes, `CANCELLED` when the calling task is cancelled).
public struct VerbatimError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String

    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// An async client of the Verbatim daemon: one connection, many concurrent calls on it.
///
/// ```swift
/// let client = try await VerbatimClient.connect(host: "127.0.0.1", port: 7450)
/// let answer = try await client.getParagraph(document: "L/3282", number: 12)
/// for try await p in client.streamDocument(document: "L/3282") { print(p.text) }
/// await client.close()
/// ```
///
/// Calls beyond the server's max-concurrent-streams wait in a queue. Each call may have a
/// deadline (sent to the server and enforced here); cancelling the calling task sends CANCEL.
public final class VerbatimClient: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<ClientHandler>
    /// The server's limits, from its SETTINGS.
    public let settings: Settings

    private init(channel: any Channel, handler: NIOLoopBound<ClientHandler>, settings: Settings) {
        self.channel = channel
        self.handler = handler
        self.settings = settings
    }

    /// Connects, sends the preface and waits for the server's SETTINGS.
    /// - Throws: `VerbatimError` with `UNAVAILABLE` when the server cannot be reached.
    public static func connect(
        host: String = "127.0.0.1", port: Int = 7450,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> VerbatimClient {
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port).get()
            let ready = channel.eventLoop.makePromise(of: Settings.self)
            let bound = try await channel.eventLoop.submit {
                let handler = ClientHandler(ready: ready)
                do {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maxFrameSize: 64 << 20, expectPreface: false)))
                    try channel.pipeline.syncOperations.addHandler(handler)
                } catch {
                    // The server closed the connection before the handlers were in place.
                    ready.fail(error)
                    throw error
                }
                var b = channel.allocator.buffer(capacity: Preface.size)
                b.writeBytes(Preface.bytes)
                channel.writeAndFlush(b, promise: nil)
                return NIOLoopBound(handler, eventLoop: channel.eventLoop)
            }.get()
            let settings = try await ready.futureResult.get()
            return VerbatimClient(channel: channel, handler: bound, settings: settings)
        } catch let e as VerbatimError {
            throw e
        } catch {
            throw VerbatimError(.unavailable, "cannot connect to \(host):\(port): \(error)")
        }
    }

    /// Closes the connection; calls in flight fail with `UNAVAILABLE`.
    public func close() async {
        try? await channel.close()
    }

    /// Sends PING and waits for its answer. - Returns: the round trip time.
    public func ping() async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        let handler = self.handler
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            channel.eventLoop.execute { handler.value.ping(c) }
        }
        return clock.now - start
    }

    // MARK: Calls

    /// Starts a call; its RESPONSE payloads arrive on the stream, which ends at an OK
    /// status or throws the call's `VerbatimError`.
    func call(_ method: Method, _ request: some Message, deadline: Duration?) -> AsyncThrowingStream<ByteBuffer, any Error> {
        do {
            return call(method, body: try request.serializedBytes(), deadline: deadline)
        } catch {
            return AsyncThrowingStream {
                throw VerbatimError(.invalidArgument, "request does not serialize: \(error)")
            }
        }
    }

    func call(_ method: Method, body: [UInt8], deadline: Duration?) -> AsyncThrowingStream<ByteBuffer, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        var ms: UInt32 = 0
        if let deadline {
            let (s, attos) = deadline.components
            let total = max(Double(s) * 1000 + Double(attos) / 1e15, 1).rounded(.up)
            ms = UInt32(min(total, Double(UInt32.max)))
        }
        let handler = self.handler
        let token = CallToken()
        continuation.onTermination = { [channel] reason in
            if case .cancelled = reason {
                channel.eventLoop.execute { handler.value.cancel(token) }
            }
        }
        let sink = CallSink(token: token, method: method, body: body, deadlineMilliseconds: ms, continuation: continuation)
        channel.eventLoop.execute { handler.value.start(sink) }
        return stream
    }

    func unary<Response: Message>(_ method: Method, _ request: some Message, deadline: Duration?) async throws -> Response {
        var response: ByteBuffer?
        do {
            for try await payload in call(method, request, deadline: deadline) where response == nil {
                response = payload
            }
        } catch let e as VerbatimError {
            throw e
        }
        if Task.isCancelled { throw VerbatimError(.cancelled, "the calling task was cancelled") }
        guard let response else { throw VerbatimError(.internal, "\(method) ended OK without a response") }
        do {
            return try Response(serializedBytes: Array(response.readableBytesView))
        } catch {
            throw VerbatimError(.internal, "\(Response.protoMessageName) from the server does not parse: \(error)")
        }
    }

    func streaming<Item: Message & Sendable>(_ method: Method, _ request: some Message, deadline: Duration?)
        -> AsyncThrowingStream<Item, any Error>
    {
        let payloads = call(method, request, deadline: deadline)
        let (stream, continuation) = AsyncThrowingStream<Item, any Error>.makeStream()
        let task = Task {
            do {
                for try await payload in payloads {
                    continuation.yield(try Item(serializedBytes: Array(payload.readableBytesView)))
                }
                if Task.isCancelled { throw VerbatimError(.cancelled, "the stream was cancelled") }
                continuation.finish()
            } catch let e as VerbatimError {
                continuation.finish(throwing: e)
            } catch {
                continuation.finish(throwing: VerbatimError(.internal, "\(Item.protoMessageName) does not parse: \(error)"))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    // MARK: Methods (docs/PROTOCOL.md §4)

    public func getParagraph(_ request: Verbatim_V1_GetParagraphRequest, deadline: Duration? = nil) async throws
        -> Verbatim_V1_ParagraphAnswer
    {
        try await unary(.getParagraph, request, deadline: deadline)
    }

    /// Paragraph `number` of the document whose key or symbol is `document`.
    public func getParagraph(document: String, number: UInt32, deadline: Duration? = nil) async throws
        -> Verbatim_V1_ParagraphAnswer
    {
        var r = Verbatim_V1_GetParagraphRequest()
        r.document = document
        r.number = number
        return try await getParagraph(r, deadline: deadline)
    }

    public func getParagraphs(_ request: Verbatim_V1_GetParagraphsRequest, deadline: Duration? = nil) async throws
        -> Verbatim_V1_GetParagraphsResponse
    {
        try await unary(.getParagraphs, request, deadline: deadline)
    }

    public func getDocument(_ request: Verbatim_V1_GetDocumentRequest, deadline: Duration? = nil) async throws
        -> Verbatim_V1_Document
    {
        try await unary(.getDocument, request, deadline: deadline)
    }

    public func getDocument(_ document: String, deadline: Duration? = nil) async throws -> Verbatim_V1_Document {
        var r = Verbatim_V1_GetDocumentRequest()
        r.document = document
        return try await getDocument(r, deadline: deadline)
    }

    /// The paragraphs of a document, in order (server-streaming).
    public func streamDocument(_ request: Verbatim_V1_StreamDocumentRequest, deadline: Duration? = nil)
        -> AsyncThrowingStream<Verbatim_V1_Paragraph, any Error>
    {
        streaming(.streamDocument, request, deadline: deadline)
    }

    public func streamDocument(document: String, first: UInt32 = 0, last: UInt32 = 0, deadline: Duration? = nil)
        -> AsyncThrowingStream<Verbatim_V1_Paragraph, any Error>
    {
        var r = Verbatim_V1_StreamDocumentRequest()
        r.document = document
        r.first = first
        r.last = last
        return streamDocument(r, deadline: deadline)
    }

    public func listDocuments(_ request: Verbatim_V1_ListDocumentsRequest, deadline: Duration? = nil) async throws
        -> Verbatim_V1_ListDocumentsResponse
    {
        try await unary(.listDocuments, request, deadline: deadline)
    }

    public func getSpeaker(_ request: Verbatim_V1_GetSpeakerRequest, deadline: Duration? = nil) async throws
        -> Verbatim_V1_Speaker
    {
        try await unary(.getSpeaker, request, deadline: deadline)
    }

    public func getSpeaker(id: UInt32, deadline: Duration? = nil) async throws -> Verbatim_V1_Speaker {
        var r = Verbatim_V1_GetSpeakerRequest()
        r.id = id
        return try await getSpeaker(r, deadline: deadline)
    }

    public func findSpeakers(_ request: Verbatim_V1_FindSpeakersRequest, deadline: Duration? = nil) async throws
        -> Verbatim_V1_FindSpeakersResponse
    {
        try await unary(.findSpeakers, request, deadline: deadline)
    }

    public func findSpeakers(name: String, deadline: Duration? = nil) async throws -> [Verbatim_V1_Speaker] {
        var r = Verbatim_V1_FindSpeakersRequest()
        r.name = name
        return try await findSpeakers(r, deadline: deadline).speakers
    }

    /// The paragraphs of a speaker, in date order (server-streaming).
    public func speakerParagraphs(_ request: Verbatim_V1_SpeakerParagraphsRequest, deadline: Duration? = nil)
        -> AsyncThrowingStream<Verbatim_V1_Paragraph, any Error>
    {
        streaming(.speakerParagraphs, request, deadline: deadline)
    }

    /// The paragraphs of a speaker in one document, in date order (server-streaming).
    public func speakerParagraphs(
        speakerID: UInt32, document: String = "", dateFrom: UInt32 = 0, dateTo: UInt32 = 0, limit: UInt32 = 0,
        deadline: Duration? = nil
    ) -> AsyncThrowingStream<Verbatim_V1_Paragraph, any Error> {
        var r = Verbatim_V1_SpeakerParagraphsRequest()
        r.speakerID = speakerID
        r.document = document
        r.dateFrom = dateFrom
        r.dateTo = dateTo
        r.limit = limit
        return speakerParagraphs(r, deadline: deadline)
    }

    public func stats(deadline: Duration? = nil) async throws -> Verbatim_V1_StatsResponse {
        try await unary(.stats, Verbatim_V1_StatsRequest(), deadline: deadline)
    }

    public func health(deadline: Duration? = nil) async throws -> Verbatim_V1_HealthResponse {
        try await unary(.health, Verbatim_V1_HealthRequest(), deadline: deadline)
    }

    // MARK: Citation methods (docs/PROTOCOL.md §4, methods 11-15)

    /// Resolves a reference in the grammar of docs/CITATIONS.md (`L/3282 ¶12`, `L/3282#3-5`,
    /// `L/3282`): the document and the paragraphs it names, with their citations.
    public func resolveCitation(_ reference: String, deadline: Duration? = nil) async throws
        -> Verbatim_V1_ResolveCitationResponse
    {
        var r = Verbatim_V1_ResolveCitationRequest()
        r.reference = reference
        return try await unary(.resolveCitation, r, deadline: deadline)
    }

    /// The paragraphs that contain a quotation, with the offsets of each match.
    public func findQuote(_ request: Verbatim_V1_FindQuoteRequest, deadline: Duration? = nil) async throws
        -> Verbatim_V1_FindQuoteResponse
    {
        try await unary(.findQuote, request, deadline: deadline)
    }

    /// The paragraphs that contain `text`; `near` also finds it with one word dropped, added
    /// or changed. Dates are `yyyymmdd` (0: open); pass `nextPageToken` back as `pageToken`.
    public func findQuote(
        _ text: String, near: Bool = false, speaker: String = "", document: String = "", dateFrom: UInt32 = 0,
        dateTo: UInt32 = 0, limit: UInt32 = 0, pageToken: String = "", deadline: Duration? = nil
    ) async throws -> Verbatim_V1_FindQuoteResponse {
        var r = Verbatim_V1_FindQuoteRequest()
        r.text = text
        r.near = near
        r.speaker = speaker
        r.document = document
        r.dateFrom = dateFrom
        r.dateTo = dateTo
        r.limit = limit
        r.pageToken = pageToken
        return try await findQuote(r, deadline: deadline)
    }

    /// The paragraphs that cite `symbol`, whether or not the cited document is stored.
    public func citedBy(_ symbol: String, limit: UInt32 = 0, deadline: Duration? = nil) async throws
        -> Verbatim_V1_CitedByResponse
    {
        var r = Verbatim_V1_CitedByRequest()
        r.symbol = symbol
        r.limit = limit
        return try await unary(.citedBy, r, deadline: deadline)
    }

    /// The symbols a document cites, in order of first mention.
    public func references(ofDocument document: String, deadline: Duration? = nil) async throws
        -> [Verbatim_V1_DocumentReference]
    {
        var r = Verbatim_V1_ReferencesRequest()
        r.document = document
        let res: Verbatim_V1_ReferencesResponse = try await unary(.references, r, deadline: deadline)
        return res.references
    }

    /// Quoted passages attributed to a speaker inside other paragraphs (docs/CITATIONS.md §23).
    public func speakerQuotations(
        speakerID: UInt32, dateFrom: UInt32 = 0, dateTo: UInt32 = 0, limit: UInt32 = 0, deadline: Duration? = nil
    ) async throws -> [Verbatim_V1_SpeakerQuotation] {
        var r = Verbatim_V1_SpeakerQuotationsRequest()
        r.speakerID = speakerID
        r.dateFrom = dateFrom
        r.dateTo = dateTo
        r.limit = limit
        let res: Verbatim_V1_SpeakerQuotationsResponse = try await unary(.speakerQuotations, r, deadline: deadline)
        return res.quotations
    }

    /// A call by raw method id and request bytes (for tests and new methods).
    public func rawCall(method: UInt16, body: [UInt8], deadline: Duration? = nil) -> AsyncThrowingStream<ByteBuffer, any Error> {
        call(Method(rawValue: method), body: body, deadline: deadline)
    }
}

/// Identity of one call, allocated before its stream id.
final class CallToken: Sendable {}

