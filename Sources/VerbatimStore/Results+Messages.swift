import VerbatimProtocol

// The store's answers rebuilt from the messages that carry them over the wire
// (docs/PROTOCOL.md §4), so that a client renders a daemon's answer with the same code as
// the store's own. Empty strings stand for absent values, as the protocol has it.

extension Resolution {
    /// The answer of ResolveCitation (method 11).
    public init(_ message: Verbatim_V1_ResolveCitationResponse) {
        self.init(
            document: message.document, paragraphs: message.paragraphs, citation: message.citation,
            longCitation: message.longCitation)
    }
}

extension QuoteResults {
    /// The answer of FindQuote (method 12).
    public init(_ message: Verbatim_V1_FindQuoteResponse) throws {
        self.init(
            matches: try message.matches.map { m in
                try QuoteMatch(
                    paragraph: m.paragraph, ranges: m.ranges.map { Int($0.start)..<Int($0.end) },
                    distance: Int(m.distance))
            },
            nextPageToken: message.nextPageToken.isEmpty ? nil : message.nextPageToken,
            candidatesChecked: Int(message.candidatesChecked))
    }
}

extension CitedBy {
    /// The answer of CitedBy (method 13).
    public init(_ message: Verbatim_V1_CitedByResponse) {
        self.init(
            symbol: message.symbol, document: message.hasDocument ? message.document : nil, citing: message.citing)
    }
}

extension DocumentReference {
    /// One reference of the answer of References (method 14).
    public init(_ message: Verbatim_V1_DocumentReference) {
        self.init(
            symbol: message.symbol, paragraphs: message.paragraphs.map { Int($0) }, citations: message.citations,
            documentKey: message.documentKey.isEmpty ? nil : message.documentKey)
    }
}

extension StoreStatistics {
    /// The answer of Stats (method 9).
    public init(_ message: Verbatim_V1_StatsResponse) {
        self.init()
        documents = Int(message.documents)
        paragraphs = Int(message.paragraphs)
        speakers = Int(message.speakers)
        speakerNames = Int(message.speakerNames)
        citations = Int(message.citations)
        textBytes = Int(message.textBytes)
        databaseBytes = message.databaseBytes.mapValues { Int($0) }
    }
}
