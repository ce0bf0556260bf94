import VerbatimProtocol
import VerbatimStore

/// The citation methods (11-15, docs/PROTOCOL.md §4): each reads one snapshot and builds
/// its response from the store's answer. The paragraphs come from the store decoded,
/// because their long citation is computed from their fields; they are encoded once, with
/// `long_citation` (field 14) filled in.
enum CitationMethods {
    static func resolveCitation(_ store: Store, _ req: Verbatim_V1_ResolveCitationRequest) throws
        -> Verbatim_V1_ResolveCitationResponse
    {
        let r = try store.read { try $0.resolve(req.reference) }
        var res = Verbatim_V1_ResolveCitationResponse()
        res.document = r.document
        res.paragraphs = r.paragraphs
        res.citation = r.citation
        res.longCitation = r.longCitation
        return res
    }

    static func findQuote(_ store: Store, _ req: Verbatim_V1_FindQuoteRequest) throws -> Verbatim_V1_FindQuoteResponse {
        let query = QuoteQuery(
            req.text, near: req.near, speaker: req.speaker.isEmpty ? nil : req.speaker,
            document: req.document.isEmpty ? nil : req.document,
            dates: try dates(from: req.dateFrom, to: req.dateTo), limit: req.limit == 0 ? 20 : Int(req.limit),
            pageToken: req.pageToken.isEmpty ? nil : req.pageToken)
        let found = try store.read { try $0.findQuote(query) }
        var res = Verbatim_V1_FindQuoteResponse()
        res.matches = found.matches.map { m in
            var q = Verbatim_V1_QuoteMatch()
            q.paragraph = m.paragraph
            q.ranges = m.ranges.map(textRange)
            q.distance = UInt32(m.distance)
            return q
        }
        res.nextPageToken = found.nextPageToken ?? ""
        res.candidatesChecked = UInt32(clamping: found.candidatesChecked)
        return res
    }

    static func citedBy(_ store: Store, _ req: Verbatim_V1_CitedByRequest) throws -> Verbatim_V1_CitedByResponse {
        guard !req.symbol.allSatisfy(\.isWhitespace) else { throw StoreError(.invalidArgument, "empty symbol") }
        let found = try store.read { try $0.citedBy(req.symbol, limit: req.limit == 0 ? .max : Int(req.limit)) }
        var res = Verbatim_V1_CitedByResponse()
        res.symbol = found.symbol
        if let d = found.document { res.document = d }
        res.citing = found.citing
        return res
    }

    static func references(_ store: Store, _ req: Verbatim_V1_ReferencesRequest) throws -> Verbatim_V1_ReferencesResponse {
        let refs = try store.read { try $0.references(ofDocument: req.document) }
        var res = Verbatim_V1_ReferencesResponse()
        res.references = refs.map { r in
            var out = Verbatim_V1_DocumentReference()
            out.symbol = r.symbol
            out.paragraphs = r.paragraphs.map { UInt32($0) }
            out.citations = r.citations
            out.documentKey = r.documentKey ?? ""
            return out
        }
        return res
    }

    static func speakerQuotations(_ store: Store, _ req: Verbatim_V1_SpeakerQuotationsRequest) throws
        -> Verbatim_V1_SpeakerQuotationsResponse
    {
        guard req.limit <= 1000 else {
            throw StoreError(.invalidArgument, "limit must be between 1 and 1000, not \(req.limit)")
        }
        let dates = try dates(from: req.dateFrom, to: req.dateTo)
        let found = try store.read {
            try $0.quotations(bySpeaker: req.speakerID, dates: dates, limit: req.limit == 0 ? 100 : Int(req.limit))
        }
        var res = Verbatim_V1_SpeakerQuotationsResponse()
        res.quotations = found.map { q in
            var out = Verbatim_V1_SpeakerQuotation()
            out.paragraph = q.paragraph
            out.range = textRange(q.range)
            out.text = q.text
            out.rule = q.rule.rawValue
            return out
        }
        return res
    }

    /// A request's date range: 0 is an open bound; nil when both are open.
    /// - Throws: `StoreError.invalidArgument` when `from` is after `to`.
    static func dates(from: UInt32, to: UInt32) throws -> ClosedRange<UInt32>? {
        if from == 0 && to == 0 { return nil }
        let upper = to == 0 ? UInt32.max : to
        guard from <= upper else { throw StoreError(.invalidArgument, "date_from \(from) is after date_to \(to)") }
        return from...upper
    }

    static func textRange(_ r: Range<Int>) -> Verbatim_V1_TextRange {
        var t = Verbatim_V1_TextRange()
        t.start = UInt32(r.lowerBound)
        t.end = UInt32(r.upperBound)
        return t
    }
}
