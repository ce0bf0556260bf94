import VerbatimProtocol
import VerbatimStore

/// The citation methods (11-15, docs/PROTOCOL.md §4): each reads one snapshot and builds
/// its response from the store's answer. The paragraphs of ResolveCitation, FindQuote,
/// CitedBy and SpeakerQuotations come from the store encoded, their stored bytes with
/// `long_citation` (field 14) appended, and the response is written around them.
enum CitationMethods {
    /// - Returns: an encoded `ResolveCitationResponse`: the document's stored record and its
    ///   paragraphs as the store encoded them (`Snapshot.resolveEncoded`).
    static func resolveCitation(_ store: Store, _ req: Verbatim_V1_ResolveCitationRequest) throws -> [UInt8] {
        let r = try store.read { try $0.resolveEncoded(req.reference) }
        var out: [UInt8] = []
        out.reserveCapacity(
            r.document.count + r.paragraphs.reduce(0) { $0 + $1.count + 6 } + r.citation.utf8.count
                + r.longCitation.utf8.count + 32)
        MessageBytes.append(1, r.document, to: &out)
        for p in r.paragraphs { MessageBytes.append(2, p, to: &out) }
        MessageBytes.append(3, r.citation, to: &out)
        MessageBytes.append(4, r.longCitation, to: &out)
        return out
    }

    /// - Returns: an encoded `FindQuoteResponse` (`encode(_:)`).
    static func findQuote(_ store: Store, _ req: Verbatim_V1_FindQuoteRequest) throws -> [UInt8] {
        let query = QuoteQuery(
            req.text, near: req.near, speaker: req.speaker.isEmpty ? nil : req.speaker,
            document: req.document.isEmpty ? nil : req.document,
            dates: try dates(from: req.dateFrom, to: req.dateTo), limit: req.limit == 0 ? 20 : Int(req.limit),
            pageToken: req.pageToken.isEmpty ? nil : req.pageToken)
        return encode(try store.read { try $0.findQuote(query) })
    }

    /// A `FindQuoteResponse` with the matches' paragraphs as the store encoded them
    /// (`QuoteMatch.encodedParagraph`), nothing decoded or encoded again: the bytes
    /// SwiftProtobuf would write for the same message (fields in number order, zero values
    /// left out).
    static func encode(_ found: QuoteResults) -> [UInt8] {
        func size(_ v: Int) -> Int { Varint.size(v) }
        func rangeSize(_ r: Range<Int>) -> Int {
            (r.lowerBound == 0 ? 0 : 1 + size(r.lowerBound)) + (r.upperBound == 0 ? 0 : 1 + size(r.upperBound))
        }
        func matchSize(_ m: QuoteMatch) -> Int {
            let p = m.encodedParagraph.count
            return 1 + size(p) + p + m.ranges.reduce(0) { $0 + 1 + size(rangeSize($1)) + rangeSize($1) }
                + (m.distance == 0 ? 0 : 1 + size(m.distance))
        }
        let token = Array((found.nextPageToken ?? "").utf8)
        let checked = Int(UInt32(clamping: found.candidatesChecked))
        let total =
            found.matches.reduce(0) { $0 + 1 + size(matchSize($1)) + matchSize($1) }
            + (token.isEmpty ? 0 : 1 + size(token.count) + token.count) + (checked == 0 ? 0 : 1 + size(checked))
        if total == 0 { return [] }
        return [UInt8](unsafeUninitializedCapacity: total) { out, count in
            var p = UnsafeMutableRawPointer(out.baseAddress!)
            func tag(_ field: Int, _ wire: Int) { p = Varint.put(field << 3 | wire, at: p) }
            func varint(_ field: Int, _ v: Int) {
                tag(field, 0)
                p = Varint.put(v, at: p)
            }
            func bytes(_ field: Int, _ b: [UInt8]) {
                tag(field, 2)
                p = Varint.put(b.count, at: p)
                b.withUnsafeBytes { if $0.count > 0 { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                p += b.count
            }
            for m in found.matches {
                tag(1, 2)
                p = Varint.put(matchSize(m), at: p)
                bytes(1, m.encodedParagraph)
                for r in m.ranges {
                    tag(2, 2)
                    p = Varint.put(rangeSize(r), at: p)
                    if r.lowerBound != 0 { varint(1, r.lowerBound) }
                    if r.upperBound != 0 { varint(2, r.upperBound) }
                }
                if m.distance != 0 { varint(3, m.distance) }
            }
            if !token.isEmpty { bytes(2, token) }
            if checked != 0 { varint(3, checked) }
            count = p - UnsafeMutableRawPointer(out.baseAddress!)
            precondition(count == total, "FindQuoteResponse: \(count) bytes written, \(total) computed")
        }
    }

    /// - Returns: an encoded `CitedByResponse`: the cited document's stored record and the
    ///   citing paragraphs as the store encoded them (`Snapshot.citedByEncoded`).
    static func citedBy(_ store: Store, _ req: Verbatim_V1_CitedByRequest) throws -> [UInt8] {
        guard !req.symbol.allSatisfy(\.isWhitespace) else { throw StoreError(.invalidArgument, "empty symbol") }
        let found = try store.read { try $0.citedByEncoded(req.symbol, limit: req.limit == 0 ? .max : Int(req.limit)) }
        var out: [UInt8] = []
        out.reserveCapacity(
            found.symbol.utf8.count + (found.document?.count ?? 0) + found.citing.reduce(0) { $0 + $1.count + 6 } + 16)
        MessageBytes.append(1, found.symbol, to: &out)
        if let document = found.document { MessageBytes.append(2, document, to: &out) }
        for p in found.citing { MessageBytes.append(3, p, to: &out) }
        return out
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

    /// - Returns: an encoded `SpeakerQuotationsResponse`, each quotation's paragraph as the
    ///   store encoded it (`Snapshot.quotationsEncoded`).
    static func speakerQuotations(_ store: Store, _ req: Verbatim_V1_SpeakerQuotationsRequest) throws -> [UInt8] {
        guard req.limit <= 1000 else {
            throw StoreError(.invalidArgument, "limit must be between 1 and 1000, not \(req.limit)")
        }
        let dates = try dates(from: req.dateFrom, to: req.dateTo)
        let found = try store.read {
            try $0.quotationsEncoded(bySpeaker: req.speakerID, dates: dates, limit: req.limit == 0 ? 100 : Int(req.limit))
        }
        var out: [UInt8] = []
        out.reserveCapacity(found.reduce(0) { $0 + $1.paragraph.count + $1.text.utf8.count + 40 })
        for q in found {
            var range: [UInt8] = []
            MessageBytes.append(1, varint: q.range.lowerBound, to: &range)
            MessageBytes.append(2, varint: q.range.upperBound, to: &range)
            var quotation: [UInt8] = []
            MessageBytes.append(1, q.paragraph, to: &quotation)
            MessageBytes.append(2, range, to: &quotation)
            MessageBytes.append(3, q.text, to: &quotation)
            MessageBytes.append(4, q.rule.rawValue, to: &quotation)
            MessageBytes.append(1, quotation, to: &out)
        }
        return out
    }

    /// A request's date range: 0 is an open bound; nil when both are open.
    /// - Throws: `StoreError.invalidArgument` when `from` is after `to`.
    static func dates(from: UInt32, to: UInt32) throws -> ClosedRange<UInt32>? {
        if from == 0 && to == 0 { return nil }
        let upper = to == 0 ? UInt32.max : to
        guard from <= upper else { throw StoreError(.invalidArgument, "date_from \(from) is after date_to \(to)") }
        return from...upper
    }
}
