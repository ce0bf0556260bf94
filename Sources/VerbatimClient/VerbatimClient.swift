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

/// An async client of the Verbatim daemon: concurrent calls multiplexed on one
/// connection, or spread over a small pool of them.
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
/// A connection that fails or receives GOAWAY is replaced on the next call that needs it;
/// after a failed attempt, the next waits `Options.initialBackoff`, doubling up to
/// `Options.maximumBackoff`, and calls in between fail at once with `UNAVAILABLE`.
public final class VerbatimClient: Sendable {
    /// How the client connects.
    public struct Options: Sendable {
        /// Connections to open; calls go to them in turn. At least 1.
        public var connections: Int
        /// The wait after the first failed reconnection attempt; doubled after each further
        /// failure (with ±20% jitter) up to `maximumBackoff`.
        public var initialBackoff: Duration
        public var maximumBackoff: Duration
        /// How long a TCP connect may take.
        public var connectTimeout: Duration

        public init(
            connections: Int = 1, initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(10),
            connectTimeout: Duration = .seconds(5)
        ) {
            self.connections = max(1, connections)
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.connectTimeout = connectTimeout
        }

        func backoff(afterFailures n: Int) -> Duration {
            var d = initialBackoff
            for _ in 1..<max(1, min(n, 32)) where d < maximumBackoff { d *= 2 }
            return min(d, maximumBackoff) * Double.random(in: 0.8...1.2)
        }
    }

    let host: String
    let port: Int
    let group: any EventLoopGroup
    let options: Options
    let slots: [PoolSlot]
    private let turn = Atomic<Int>(0)
    /// The server's limits, from its SETTINGS on the first connection.
    public let settings: Settings

    private init(host: String, port: Int, group: any EventLoopGroup, options: Options, connections: [Connection]) {
        self.host = host
        self.port = port
        self.group = group
        self.options = options
        self.slots = connections.map(PoolSlot.init)
        self.settings = connections[0].settings
    }

    /// Opens `options.connections` connections (each: preface, then the server's SETTINGS).
    /// - Throws: `VerbatimError` with `UNAVAILABLE` when the server cannot be reached.
    public static func connect(
        host: String = "127.0.0.1", port: Int = 7450, options: Options = Options(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> VerbatimClient {
        var connections: [Connection] = []
        do {
            for _ in 0..<options.connections {
                connections.append(
                    try await Connection.open(host: host, port: port, group: group, connectTimeout: options.connectTimeout))
            }
        } catch {
            for c in connections { await c.close() }
            throw error
        }
        return VerbatimClient(host: host, port: port, group: group, options: options, connections: connections)
    }

    /// Closes the connections; calls in flight fail with `UNAVAILABLE`, later calls too.
    public func close() async {
        for slot in slots { await slot.close() }
    }

    /// Sends PING on a connection and waits for its answer. - Returns: the round trip time.
    public func ping() async throws -> Duration {
        let connection = try await nextConnection()
        let clock = ContinuousClock()
        let start = clock.now
        try await connection.ping()
        return clock.now - start
    }

    private func nextSlot() -> PoolSlot {
        slots.count == 1 ? slots[0] : slots[turn.add(1, ordering: .relaxed).oldValue % slots.count]
    }

    private func nextConnection() async throws -> Connection {
        let slot = nextSlot()
        if let c = slot.ready { return c }
        return try await slot.connection(host: host, port: port, group: group, options: options)
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
        let token = CallToken()
        // Which connection the call went to, for CANCEL; or that it was cancelled first.
        let placed = Mutex<(connection: Connection?, cancelled: Bool)>((nil, false))
        continuation.onTermination = { reason in
            guard case .cancelled = reason else { return }
            let connection = placed.withLock { p in
                p.cancelled = true
                return p.connection
            }
            connection?.cancel(token)
        }
        @Sendable func start(on connection: Connection, milliseconds: UInt32) {
            let go = placed.withLock { p in
                if !p.cancelled { p.connection = connection }
                return !p.cancelled
            }
            guard go else { return }
            connection.start(
                CallSink(token: token, method: method, body: body, deadlineMilliseconds: milliseconds, continuation: continuation))
        }
        let slot = nextSlot()
        if let connection = slot.ready {
            start(on: connection, milliseconds: Self.milliseconds(deadline))
            return stream
        }
        // The connection is being replaced: wait for it (within the deadline), then start.
        let began = ContinuousClock.now
        Task { [self] in
            do {
                let connection = try await slot.connection(host: host, port: port, group: group, options: options)
                var ms: UInt32 = 0
                if let deadline {
                    let left = deadline - (ContinuousClock.now - began)
                    guard left > .zero else {
                        throw VerbatimError(.deadlineExceeded, "deadline of \(Self.milliseconds(deadline)) ms exceeded while connecting")
                    }
                    ms = Self.milliseconds(left)
                }
                start(on: connection, milliseconds: ms)
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    /// A deadline in whole milliseconds, rounded up, at least 1; 0 for none.
    static func milliseconds(_ deadline: Duration?) -> UInt32 {
        guard let deadline else { return 0 }
        let (s, attos) = deadline.components
        let total = max(Double(s) * 1000 + Double(attos) / 1e15, 1).rounded(.up)
        return UInt32(min(total, Double(UInt32.max)))
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

