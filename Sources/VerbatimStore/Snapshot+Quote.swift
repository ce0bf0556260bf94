import LMDB
import SwiftProtobuf
import VerbatimModel

/// A quotation to look up (`Snapshot.findQuote`), with its filters and paging.
public struct QuoteQuery: Sendable, Hashable {
    /// The quotation: 2 words or more. Surrounding quotation marks and white space are ignored.
    public var text: String
    /// Near mode: also paragraphs where one word is dropped, added or changed.
    public var near: Bool
    /// Only paragraphs attributed to a speaker of this name or alias (as `findSpeakers`).
    public var speaker: String?
    /// Only paragraphs of this document (key or symbol).
    public var document: String?
    /// Only paragraphs of documents dated in this range (packed `yyyymmdd`, see `DocumentDate.packed`).
    public var dates: ClosedRange<UInt32>?
    /// At most this many paragraphs per page (1...1000).
    public var limit: Int
    /// The `nextPageToken` of the previous page, to get the next one.
    public var pageToken: String?

    public init(
        _ text: String, near: Bool = false, speaker: String? = nil, document: String? = nil,
        dates: ClosedRange<UInt32>? = nil, limit: Int = 20, pageToken: String? = nil
    ) {
        self.text = text
        self.near = near
        self.speaker = speaker
        self.document = document
        self.dates = dates
        self.limit = limit
        self.pageToken = pageToken
    }
}

/// One paragraph that contains a quotation.
public struct QuoteMatch: Sendable {
    /// The paragraph as stored, with `longCitation` filled in.
    public var paragraph: ParagraphRecord
    /// Where the quotation is in `paragraph.text`: Unicode scalar offsets, [start, end).
    public var ranges: [Range<Int>]
    /// Words dropped, added or changed (0 for an exact match; near mode only ever 0 or 1).
    public var distance: Int
}

/// A page of quote lookup results.
public struct QuoteResults: Sendable {
    /// Exact mode: in store order (the order paragraphs were ingested). Near mode: closest first.
    public var matches: [QuoteMatch]
    /// Pass as `QuoteQuery.pageToken` for the next page; `nil` when there is none.
    public var nextPageToken: String?
    /// Candidate paragraphs read and checked against their text (for diagnostics).
    public var candidatesChecked: Int
}

extension Snapshot {
    /// Finds the paragraphs that contain a quotation (docs/CITATIONS.md, "Quote lookup").
    ///
    /// Matching is on the `Folding.text` form of the quotation and of the stored text; the
    /// quotation must start and end at word boundaries when its first or last character is
    /// a letter or digit. Exact mode returns every such paragraph and no other. Near mode
    /// returns paragraphs whose words match the quotation's with at most one word dropped,
    /// added or changed (punctuation ignored), closest first.
    /// - Throws: `StoreError.invalidArgument` for a quotation under 2 words, a bad limit or
    ///   page token; `.notFound` for an unknown document or speaker filter.
    public func findQuote(_ query: QuoteQuery) throws -> QuoteResults {
        var needle = PhraseText(Self.trimQuotation(query.text))
        guard needle.words.count >= 2 else {
            throw StoreError(
                .invalidArgument,
                "a quotation needs at least 2 words; \"\(query.text)\" has \(needle.words.count)")
        }
        guard (1...1000).contains(query.limit) else {
            throw StoreError(.invalidArgument, "limit must be between 1 and 1000, not \(query.limit)")
        }
        var filter = try QuoteFilter(query, snapshot: self)
        if query.near {
            return try findNear(&needle, query: query, filter: &filter)
        }
        var after: UInt32 = 0
        if let token = query.pageToken {
            guard token.hasPrefix("e"), let v = UInt32(token.dropFirst()) else {
                throw StoreError(.invalidArgument, "bad page token \"\(token)\" for an exact lookup")
            }
            after = v
        }
        let words = needle.wordHashes
        let candidates = try candidateOrdinals(words: words[...], filter: filter, after: after)
        var matches: [QuoteMatch] = []
        var checked = 0
        var scratch = PhraseText()
        var last: UInt32 = after
        for ordinal in candidates {
            if matches.count == query.limit { break }
            last = ordinal
            checked += 1
            if let m = try check(ordinal: ordinal, filter: &filter, scratch: &scratch, { text in
                let found = text.occurrences(of: needle)
                return found.isEmpty ? nil : (found.map { text.sourceRange($0) }, 0)
            }) {
                matches.append(m)
            }
        }
        let more = candidates.last.map { $0 > last } ?? false
        return QuoteResults(matches: matches, nextPageToken: more ? "e\(last)" : nil, candidatesChecked: checked)
    }

    // MARK: Near mode

    private func findNear(_ needle: inout PhraseText, query: QuoteQuery, filter: inout QuoteFilter) throws
        -> QuoteResults
    {
        var offset = 0
        if let token = query.pageToken {
            guard token.hasPrefix("n"), let v = Int(token.dropFirst()), v >= 0 else {
                throw StoreError(.invalidArgument, "bad page token \"\(token)\" for a near lookup")
            }
            offset = v
        }
        let words = needle.wordHashes
        let k = words.count
        // One edit leaves one of two halves intact (an insertion between them leaves both):
        // the candidates contain all pairs of the first half or all pairs of the second.
        var sets: [[UInt32]] = []
        if k >= 4 {
            sets.append(try candidateOrdinals(words: words[0..<(k / 2)], filter: filter, after: 0))
            sets.append(try candidateOrdinals(words: words[(k / 2)...], filter: filter, after: 0))
        } else {
            for i in 1..<k { sets.append(try candidateOrdinals(words: words[(i - 1)...i], filter: filter, after: 0)) }
        }
        var candidates = sets.flatMap { $0 }
        candidates.sort()
        var all: [(QuoteMatch, UInt32)] = []
        var scratch = PhraseText()
        var previous: UInt32? = nil
        var checked = 0
        for ordinal in candidates where ordinal != previous {
            previous = ordinal
            checked += 1
            if let m = try check(ordinal: ordinal, filter: &filter, scratch: &scratch, { text in
                let found = NearMatcher.matches(quote: words, in: text)
                guard let best = found.map(\.distance).min() else { return nil }
                return (found.map { text.sourceRange($0.folded) }, best)
            }) {
                all.append((m, ordinal))
            }
        }
        all.sort { ($0.0.distance, $0.1) < ($1.0.distance, $1.1) }
        let page = all.dropFirst(offset).prefix(query.limit).map(\.0)
        let next = offset + page.count < all.count ? "n\(offset + page.count)" : nil
        return QuoteResults(matches: Array(page), nextPageToken: next, candidatesChecked: checked)
    }

    // MARK: Candidates

    /// The sorted ordinals of paragraphs whose lists hold every adjacent pair of `words`
    /// (at least 2), within the filter's ordinal range and after `after`.
    func candidateOrdinals(words: ArraySlice<UInt64>, filter: QuoteFilter, after: UInt32) throws -> [UInt32] {
        var buckets: [UInt32] = []
        let w = Array(words)
        for i in 1..<w.count { buckets.append(PhraseIndex.bucket(w[i - 1], w[i])) }
        buckets = Array(Set(buckets))
        let lower = max(after &+ 1, filter.ordinals?.lowerBound ?? 0)
        let upper = filter.ordinals?.upperBound ?? .max
        if lower > upper { return [] }
        return try txn.withCursor(schema.phrases) { c in
            var counted: [(count: Int, bucket: UInt32)] = []
            for b in buckets {
                let n = try c.count(ofKey: PhraseIndex.key(b))
                if n == 0 { return [] }
                counted.append((n, b))
            }
            counted.sort { $0.count < $1.count }
            var cand: [UInt32] = []
            cand.reserveCapacity(counted[0].count)
            try c.appendUInt32Values(ofKey: PhraseIndex.key(counted[0].bucket), to: &cand)
            if lower > 1 || upper < .max { cand = cand.filter { $0 >= lower && $0 <= upper } }
            var list: [UInt32] = []
            for (count, bucket) in counted.dropFirst() {
                // A handful of candidates: checking their text costs less than more lists.
                if cand.count <= 3 { break }
                if cand.count * 32 < count {
                    // Few candidates, a long list: probe the list for each.
                    var kept: [UInt32] = []
                    for o in cand where try c.contains(key: PhraseIndex.key(bucket), value: BigEndianKey(o)) {
                        kept.append(o)
                    }
                    cand = kept
                } else {
                    list.removeAll(keepingCapacity: true)
                    try c.appendUInt32Values(ofKey: PhraseIndex.key(bucket), to: &list)
                    cand = Self.intersect(cand, list)
                }
            }
            return cand
        }
    }

    /// The common elements of two sorted arrays.
    static func intersect(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(min(a.count, b.count))
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var i = 0
                var j = 0
                while i < a.count && j < b.count {
                    let x = a[i]
                    let y = b[j]
                    if x == y {
                        out.append(x)
                        i += 1
                        j += 1
                    } else if x < y {
                        i += 1
                    } else {
                        j += 1
                    }
                }
            }
        }
        return out
    }

    // MARK: Checking a candidate

    /// Reads paragraph `ordinal`, applies the filters, and lets `match` look at its folded
    /// text. - Returns: the match with the paragraph decoded, or `nil`.
    private func check(
        ordinal: UInt32, filter: inout QuoteFilter, scratch: inout PhraseText,
        _ match: (PhraseText) -> (ranges: [Range<Int>], distance: Int)?
    ) throws -> QuoteMatch? {
        guard let key = try txn.get(schema.phraseParas, key: Keys.id(ordinal), { Keys.u64($0) }) else { return nil }
        typealias Found = (ranges: [Range<Int>], distance: Int, record: ParagraphRecord)
        let found: Found?? = try txn.get(schema.paras, key: BigEndianKey(key)) { (span: RawSpan) throws -> Found? in
            try span.withUnsafeBytes { bytes -> (ranges: [Range<Int>], distance: Int, record: ParagraphRecord)? in
                guard let fields = ParagraphFields(bytes) else { throw StoreError(.corrupt, "paragraph \(key) does not decode") }
                if let dates = filter.dates, !dates.contains(fields.date) { return nil }
                if let speakers = filter.speakers, !speakers.contains(fields.speaker) { return nil }
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[fields.text]), as: UTF8.self)
                scratch.reset(text)
                guard let m = match(scratch) else { return nil }
                return (m.ranges, m.distance, try ParagraphRecord(serializedBytes: bytes))
            }
        }
        guard let f = found, var found = f else { return nil }
        found.record.longCitation = try filter.longCitation(found.record, snapshot: self)
        return QuoteMatch(paragraph: found.record, ranges: found.ranges, distance: found.distance)
    }

    /// The quotation without surrounding white space and quotation marks.
    public static func trimQuotation(_ text: String) -> String {
        var s = Substring(text)
        while let f = s.unicodeScalars.first, f.properties.isWhitespace || Folding.quotes.contains(f) {
            s = Substring(s.unicodeScalars.dropFirst())
        }
        while let l = s.unicodeScalars.last, l.properties.isWhitespace || Folding.quotes.contains(l) {
            s = Substring(s.unicodeScalars.dropLast())
        }
        return String(s)
    }
}

/// The filters of a quote query, resolved against the snapshot.
struct QuoteFilter {
    var ordinals: ClosedRange<UInt32>?
    var speakers: Set<UInt32>?
    var dates: ClosedRange<UInt32>?
    var documents: [UInt32: DocumentRecord] = [:]

    init(_ q: QuoteQuery, snapshot: borrowing Snapshot) throws {
        dates = q.dates
        if let name = q.speaker {
            let found = try snapshot.findSpeakers(name)
            guard !found.isEmpty else { throw StoreError(.notFound, "no speaker named \"\(name)\"") }
            speakers = Set(found.map(\.id))
        }
        if let d = q.document {
            guard let doc = try snapshot.document(d) else { throw StoreError(.notFound, "unknown document \"\(d)\"") }
            guard
                let first = try snapshot.txn.get(snapshot.schema.phraseDocs, key: Keys.id(doc.id), { Keys.u32($0) }),
                doc.paragraphCount > 0
            else {
                ordinals = 1...0 as ClosedRange<UInt32>? ?? nil
                return
            }
            ordinals = first...(first + doc.paragraphCount - 1)
            documents[doc.id] = doc
        }
    }

    /// The long citation of a paragraph, its document read once per query.
    mutating func longCitation(_ p: ParagraphRecord, snapshot: borrowing Snapshot) throws -> String {
        if documents[p.documentID] == nil, let d = try snapshot.document(id: p.documentID) { documents[p.documentID] = d }
        return Snapshot.longCitation(p, document: documents[p.documentID])
    }
}

/// The fields of a stored paragraph that quote lookup filters on, found in its bytes
/// without decoding the message.
struct ParagraphFields {
    var text: Range<Int> = 0..<0
    var speaker: UInt32 = 0
    var date: UInt32 = 0

    init?(_ b: UnsafeRawBufferPointer) {
        var i = 0
        func varint() -> UInt64? {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while i < b.count {
                let byte = b[i]
                i += 1
                v |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return v }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }
        while i < b.count {
            guard let tag = varint() else { return nil }
            let field = tag >> 3
            switch tag & 7 {
            case 0:
                guard let v = varint() else { return nil }
                if field == 10 { date = UInt32(truncatingIfNeeded: v) }
            case 1: i += 8
            case 5: i += 4
            case 2:
                guard let len = varint(), len <= UInt64(b.count - i) else { return nil }
                let start = i
                i += Int(len)
                if field == 5 {
                    text = start..<i
                } else if field == 7 {
                    // SpeakerRef: its id is field 1.
                    var j = start
                    if j < i && b[j] == 0x08 {
                        j += 1
                        var v: UInt64 = 0
                        var shift: UInt64 = 0
                        while j < i {
                            let byte = b[j]
                            j += 1
                            v |= UInt64(byte & 0x7F) << shift
                            if byte & 0x80 == 0 { break }
                            shift += 7
                        }
                        speaker = UInt32(truncatingIfNeeded: v)
                    }
                }
            default: return nil
            }
            if i > b.count { return nil }
        }
    }
}

/// Word-level matching with at most one word dropped, added or changed.
enum NearMatcher {
    struct Match {
        var folded: Range<Int>
        var distance: Int
    }

    /// Non-overlapping windows of `text`'s words within one edit of `quote`, best first
    /// per position.
    static func matches(quote q: [UInt64], in text: PhraseText) -> [Match] {
        let w = text.wordHashes
        let k = q.count
        var found: [(start: Int, end: Int, distance: Int)] = []
        var s = 0
        guard k >= 1 else { return [] }
        while s < w.count {
            var best: (end: Int, distance: Int)? = nil
            // Same length: equal, or one word changed.
            if s + k <= w.count {
                var diff = 0
                for i in 0..<k where w[s + i] != q[i] {
                    diff += 1
                    if diff > 1 { break }
                }
                if diff <= 1 { best = (s + k, diff) }
            }
            // One word fewer in the text (dropped from the quotation).
            if best?.distance != 0, k >= 3, s + k - 1 <= w.count, w[s] == q[0] {
                if oneApart(long: q[...], short: w[s..<(s + k - 1)]) { best = best ?? (s + k - 1, 1) }
            }
            // One word more in the text (added to the quotation).
            if best?.distance != 0, s + k + 1 <= w.count, w[s] == q[0] {
                if oneApart(long: w[s..<(s + k + 1)], short: q[...]) { best = best ?? (s + k + 1, 1) }
            }
            if let best { found.append((s, best.end, best.distance)) }
            s += 1
        }
        // The closest windows first, then leftmost; keep those that do not overlap a kept one.
        found.sort { ($0.distance, $0.start) < ($1.distance, $1.start) }
        var kept: [(start: Int, end: Int, distance: Int)] = []
        for f in found where !kept.contains(where: { f.start < $0.end && $0.start < f.end }) { kept.append(f) }
        kept.sort { $0.start < $1.start }
        return kept.map { f in
            Match(
                folded: Int(text.words[f.start].lowerBound)..<Int(text.words[f.end - 1].upperBound), distance: f.distance)
        }
    }

    /// True when removing one element of `long` gives `short` (same first element assumed
    /// checked by the caller or not).
    static func oneApart(long: ArraySlice<UInt64>, short: ArraySlice<UInt64>) -> Bool {
        guard long.count == short.count + 1 else { return false }
        var i = long.startIndex
        var j = short.startIndex
        var skipped = false
        while j < short.endIndex {
            if long[i] == short[j] {
                i += 1
                j += 1
            } else if !skipped {
                skipped = true
                i += 1
            } else {
                return false
            }
        }
        return true
    }
}
