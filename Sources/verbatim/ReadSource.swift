import VerbatimProtocol
import VerbatimStore

/// Where the read commands get their records: the store itself (`LocalSource`) or a daemon
/// serving it (`RemoteSource`, `--connect`). Both answer with the records the store keeps
/// (`verbatim.v1` messages) and the store's own result types, so each command renders from
/// one model whatever the source, and errors carry the same message either way.
protocol ReadSource {
    /// What `stats` names as the store: its path, or the daemon's address.
    var location: String { get }

    /// Up to a page of documents with ids above `after`, in id order, only those whose kind
    /// is exactly `kind` when it is given.
    /// - Returns: the page, and the id to continue after (`nil` when there are no more).
    func documents(after: UInt32, kind: String?) throws -> (page: [DocumentRecord], next: UInt32?)

    /// The document whose key or symbol is `key`, or `nil`.
    func document(_ key: String) throws -> DocumentRecord?

    /// Paragraphs `range` of a document (all when `range` is nil).
    /// - Throws: the store's not-found error for an unknown document or a range past the end.
    func paragraphs(key: String, range: ClosedRange<Int>?) throws -> [ParagraphRecord]

    /// Every speaker, in id order.
    func speakers() throws -> [SpeakerRecord]

    /// Speakers by name or alias, as `Snapshot.findSpeakers`.
    func findSpeakers(_ name: String) throws -> [SpeakerRecord]

    /// The first `limit` paragraphs of a speaker, in date order, with long citations.
    func speakerParagraphs(speakerID: UInt32, limit: Int) throws -> [ParagraphRecord]

    /// Counts and sizes.
    func statistics() throws -> StoreStatistics

    /// A reference resolved, as `Snapshot.resolve`.
    func resolve(_ reference: String) throws -> Resolution

    /// A page of quote lookup results, as `Snapshot.findQuote`.
    func findQuote(_ query: QuoteQuery) throws -> QuoteResults

    /// The paragraphs citing a symbol, as `Snapshot.citedBy`.
    func citedBy(_ symbol: String, limit: Int) throws -> CitedBy

    /// The symbols a document cites, as `Snapshot.references`.
    func references(ofDocument key: String) throws -> [DocumentReference]
}

/// The read commands on a store opened read-only in this process.
struct LocalSource: ReadSource {
    let store: Store

    var location: String { store.path }

    func documents(after: UInt32, kind: String?) throws -> (page: [DocumentRecord], next: UInt32?) {
        let pageSize = 1000
        let page = try store.read { try $0.documents(after: after, limit: pageSize) }
        let next = page.count < pageSize ? nil : page.last?.id
        return (page.filter { kind == nil || $0.kind == kind }, next)
    }

    func document(_ key: String) throws -> DocumentRecord? {
        try store.read { try $0.document(key) }
    }

    func paragraphs(key: String, range: ClosedRange<Int>?) throws -> [ParagraphRecord] {
        try store.read { try $0.paragraphs(key: key, range: range) }
    }

    func speakers() throws -> [SpeakerRecord] {
        try store.read { try $0.speakers() }
    }

    func findSpeakers(_ name: String) throws -> [SpeakerRecord] {
        try store.read { try $0.findSpeakers(name) }
    }

    func speakerParagraphs(speakerID: UInt32, limit: Int) throws -> [ParagraphRecord] {
        try store.read { try $0.paragraphs(bySpeaker: speakerID, limit: limit) }
    }

    func statistics() throws -> StoreStatistics {
        try store.read { try $0.statistics() }
    }

    func resolve(_ reference: String) throws -> Resolution {
        try store.read { try $0.resolve(reference) }
    }

    func findQuote(_ query: QuoteQuery) throws -> QuoteResults {
        try store.read { try $0.findQuote(query) }
    }

    func citedBy(_ symbol: String, limit: Int) throws -> CitedBy {
        try store.read { try $0.citedBy(symbol, limit: limit) }
    }

    func references(ofDocument key: String) throws -> [DocumentReference] {
        try store.read { try $0.references(ofDocument: key) }
    }
}
