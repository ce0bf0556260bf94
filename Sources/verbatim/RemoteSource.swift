import Dispatch
import Foundation
import Synchronization
import VerbatimClient
import VerbatimProtocol
import VerbatimStore
import VerbatimWire

/// The read commands through a daemon (`--connect HOST:PORT`), on one connection.
///
/// Each call blocks the command until the daemon answers. A status from the daemon becomes
/// a `CLIError` with the daemon's message, which is the store's own message where the store
/// produced it (`unknown document "X"`), so the output matches a local run.
final class RemoteSource: ReadSource {
    let address: DaemonAddress
    let client: VerbatimClient

    /// How long one exchange with the daemon may take, in seconds: `$VERBATIM_CONNECT_TIMEOUT`,
    /// else 30.
    static let timeLimit: Int = {
        let text = ProcessInfo.processInfo.environment["VERBATIM_CONNECT_TIMEOUT"] ?? ""
        return Int(text).map { max(1, $0) } ?? 30
    }()

    /// Connects and waits for the daemon's SETTINGS.
    /// - Throws: `CLIError("cannot connect to HOST:PORT: reason")`.
    init(_ address: DaemonAddress) throws {
        self.address = address
        do {
            client = try waitFor { try await VerbatimClient.connect(host: address.host, port: address.port) }
        } catch is TimedOut {
            throw CLIError("cannot connect to \(address): no answer within \(Self.timeLimit) s")
        } catch {
            throw CLIError("cannot connect to \(address): \(Self.reason(error, connecting: address))")
        }
    }

    deinit {
        let client = self.client
        _ = try? waitFor { await client.close() }
    }

    var location: String { "verbatimd at \(address)" }

    /// Runs one exchange with the daemon; a status from it becomes its message alone.
    func call<T: Sendable>(_ body: @escaping @Sendable (VerbatimClient) async throws -> T) throws -> T {
        let client = self.client
        do {
            return try waitFor { try await body(client) }
        } catch let e as VerbatimError {
            throw CLIError(e.message)
        } catch is TimedOut {
            throw noAnswer
        }
    }

    private var noAnswer: CLIError { CLIError("no answer from verbatimd at \(address) within \(Self.timeLimit) s") }

    /// Like `call`, with `nil` for NOT_FOUND.
    func callUnlessNotFound<T: Sendable>(_ body: @escaping @Sendable (VerbatimClient) async throws -> T) throws -> T? {
        let client = self.client
        do {
            return try waitFor { try await body(client) }
        } catch let e as VerbatimError where e.code == .notFound {
            return nil
        } catch let e as VerbatimError {
            throw CLIError(e.message)
        } catch is TimedOut {
            throw noAnswer
        }
    }

    func documents(after: UInt32, kind: String?) throws -> (page: [DocumentRecord], next: UInt32?) {
        var request = Verbatim_V1_ListDocumentsRequest()
        request.afterID = after
        request.kind = kind ?? ""
        request.pageSize = 1000
        let response = try call { [request] in try await $0.listDocuments(request) }
        // The daemon matches the kind ignoring case; the local command matches it exactly.
        let page = response.documents.filter { kind == nil || $0.kind == kind }
        return (page, response.nextAfterID == 0 ? nil : response.nextAfterID)
    }

    func document(_ key: String) throws -> DocumentRecord? {
        try callUnlessNotFound { try await $0.getDocument(key) }
    }

    func paragraphs(key: String, range: ClosedRange<Int>?) throws -> [ParagraphRecord] {
        let first = UInt32(clamping: range?.lowerBound ?? 0)
        let last = UInt32(clamping: range?.upperBound ?? 0)
        return try call { client in
            var out: [ParagraphRecord] = []
            for try await p in client.streamDocument(document: key, first: first, last: last) { out.append(p) }
            return out
        }
    }

    /// Every speaker is used by at least one document (`verify` checks it), so the speakers
    /// are those the documents name, fetched concurrently on the one connection.
    func speakers() throws -> [SpeakerRecord] {
        var ids = Set<UInt32>()
        var cursor: UInt32? = 0
        while let after = cursor {
            let (page, next) = try documents(after: after, kind: nil)
            for d in page { ids.formUnion(d.speakers.map(\.speakerID)) }
            cursor = next
        }
        let wanted = ids
        let found = try call { client in
            try await withThrowingTaskGroup(of: SpeakerRecord?.self) { group in
                for id in wanted {
                    group.addTask {
                        do {
                            return try await client.getSpeaker(id: id)
                        } catch let e as VerbatimError where e.code == .notFound {
                            return nil  // removed since its document was listed
                        }
                    }
                }
                var all: [SpeakerRecord] = []
                for try await s in group { if let s { all.append(s) } }
                return all
            }
        }
        return found.sorted { $0.id < $1.id }
    }

    func findSpeakers(_ name: String) throws -> [SpeakerRecord] {
        try call { try await $0.findSpeakers(name: name) }
    }

    func speakerParagraphs(speakerID: UInt32, limit: Int) throws -> [ParagraphRecord] {
        guard limit > 0 else { return [] }  // the protocol's 0 means no limit
        var request = Verbatim_V1_SpeakerParagraphsRequest()
        request.speakerID = speakerID
        request.limit = UInt32(clamping: limit)
        return try call { [request] client in
            var out: [ParagraphRecord] = []
            for try await p in client.speakerParagraphs(request) { out.append(p) }
            return out
        }
    }

    func statistics() throws -> StoreStatistics {
        StoreStatistics(try call { try await $0.stats() })
    }

    func resolve(_ reference: String) throws -> Resolution {
        Resolution(try call { try await $0.resolveCitation(reference) })
    }

    func findQuote(_ query: QuoteQuery) throws -> QuoteResults {
        var request = Verbatim_V1_FindQuoteRequest()
        request.text = query.text
        request.near = query.near
        request.speaker = query.speaker ?? ""
        request.document = query.document ?? ""
        if let dates = query.dates {
            request.dateFrom = dates.lowerBound
            request.dateTo = dates.upperBound == .max ? 0 : dates.upperBound
        }
        request.limit = UInt32(clamping: query.limit)  // `quote` checks it is 1 or more: 0 is the default here
        request.pageToken = query.pageToken ?? ""
        return try QuoteResults(call { [request] in try await $0.findQuote(request) })
    }

    func citedBy(_ symbol: String, limit: Int) throws -> CitedBy {
        CitedBy(try call { try await $0.citedBy(symbol, limit: UInt32(clamping: limit)) })  // `cited-by` checks it is 1 or more
    }

    func references(ofDocument key: String) throws -> [DocumentReference] {
        try call { try await $0.references(ofDocument: key) }.map(DocumentReference.init)
    }

    /// Why a connection failed, in a few words: the client's message names NIO's errors.
    static func reason(_ error: any Error, connecting address: DaemonAddress) -> String {
        let text = (error as? VerbatimError)?.message ?? "\(error)"
        let known = [
            ("Connection refused", "connection refused"), ("UnknownHost", "unknown host"),
            ("connectTimeout", "timed out"), ("No route to host", "no route to host"),
            ("Network is unreachable", "network unreachable"),
        ]
        for (needle, said) in known where text.contains(needle) { return said }
        let reason = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        // The client's own prefix, which the caller's message says already.
        let prefix = "cannot connect to \(address.host):\(address.port): "
        return reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason
    }
}

/// Runs async work to its end from synchronous code, blocking the calling thread (the
/// command's main thread; the work runs on the concurrency pool and NIO's event loops).
/// After `RemoteSource.timeLimit` seconds the work is cancelled (a call in flight gets
/// CANCEL) and `TimedOut` is thrown.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    let task = Task {
        do {
            outcome.set(.success(try await body()))
        } catch {
            outcome.set(.failure(error))
        }
        done.signal()
    }
    guard done.wait(timeout: .now() + .seconds(RemoteSource.timeLimit)) == .success else {
        task.cancel()
        throw TimedOut()
    }
    return try outcome.get()
}

/// The daemon did not answer within `RemoteSource.timeLimit` seconds.
struct TimedOut: Error {}

/// The result of `waitFor`'s task, handed to the waiting thread.
private final class Outcome<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, any Error>?>(nil)

    func set(_ result: Result<T, any Error>) { value.withLock { $0 = result } }
    func get() throws -> T { try value.withLock { $0 }!.get() }
}
