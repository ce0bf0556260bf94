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
    /// The paragraph as an encoded `Paragraph` message (`records.proto`): its stored record
    /// with its long citation appended as `long_citation` (field 14). The lookup copies the
    /// record once and decodes none of it; the FindQuote method sends these bytes as they are.
    public var encodedParagraph: [UInt8]
    /// Where the quotation is in the paragraph's text: Unicode scalar offsets, [start, end).
    public var ranges: [Range<Int>]
    /// Words dropped, added or changed (0 for an exact match; near mode only ever 0 or 1).
    public var distance: Int

    /// The paragraph, decoded from `encodedParagraph` at each access, with `longCitation`.
    /// - Throws: `StoreError.corrupt` when the bytes do not decode (a damaged record:
    ///   `verbatim verify` names it).
    public var paragraph: ParagraphRecord {
        get throws {
            do {
                return try encodedParagraph.withUnsafeBytes { try ParagraphRecord(stored: $0) }
            } catch {
                throw StoreError(.corrupt, "a paragraph found by quote lookup does not decode: \(error)")
            }
        }
    }

    /// A match of an encoded paragraph.
    public init(encodedParagraph: [UInt8], ranges: [Range<Int>], distance: Int) {
        self.encodedParagraph = encodedParagraph
        self.ranges = ranges
        self.distance = distance
    }

    /// A match of a decoded paragraph (a daemon's answer), encoded again.
    public init(paragraph: ParagraphRecord, ranges: [Range<Int>], distance: Int) throws {
        self.init(encodedParagraph: try paragraph.serializedBytes(), ranges: ranges, distance: distance)
    }
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
        var matches: [QuoteMatch] = []
        var checked = 0
        var scratch = PhraseText()
        // Most candidates hold the quotation's word pairs but not the quotation: look for it
        // in the stored bytes (`PhraseMatcher`: no decoding, no folding of the whole text),
        // which also gives the matches' offsets. A needle the matcher does not take, or text
        // it cannot read, is folded whole.
        let matcher = PhraseMatcher(needle)
        let inBytes = { (utf8: UnsafeRawBufferPointer) -> [Range<Int>]? in
            guard let matcher else { return nil }
            var ranges: [Range<Int>] = []
            let valid = matcher.matches(in: utf8) { r in
                ranges.append(r)
                return true
            }
            return valid ? ranges : nil
        }
        var last: UInt32 = after
        let more = try txn.withCursor(schema.phraseSpans) { spans in try txn.withCursor(schema.paras) { paras in
            try forEachCandidate(words: needle.wordHashes[...], needs: PhraseIndex.needs(needle), filter: filter, after: after) {
                ordinal in
                // One candidate past a full page: there is a next page (which may find none).
                if matches.count == query.limit { return false }
                last = ordinal
                checked += 1
                if let m = try check(
                    ordinal: ordinal, spans: &spans, paras: &paras, filter: &filter, scratch: &scratch, inBytes: inBytes,
                    { text in
                    let found = text.occurrences(of: needle)
                    return found.isEmpty ? nil : (found.map { text.sourceRange($0) }, 0)
                }) {
                    matches.append(m)
                }
                return true
            }
        } }
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
        try txn.withCursor(schema.phraseSpans) { spans in try txn.withCursor(schema.paras) { paras in
            for ordinal in candidates where ordinal != previous {
                previous = ordinal
                checked += 1
                if let m = try check(ordinal: ordinal, spans: &spans, paras: &paras, filter: &filter, scratch: &scratch, { text in
                    let found = NearMatcher.matches(quote: words, in: text)
                    guard let best = found.map(\.distance).min() else { return nil }
                    return (found.map { text.sourceRange($0.folded) }, best)
                }) {
                    all.append((m, ordinal))
                }
            }
        } }
        all.sort { ($0.0.distance, $0.1) < ($1.0.distance, $1.1) }
        let page = all.dropFirst(offset).prefix(query.limit).map(\.0)
        let next = offset + page.count < all.count ? "n\(offset + page.count)" : nil
        return QuoteResults(matches: Array(page), nextPageToken: next, candidatesChecked: checked)
    }

    // MARK: Candidates

    /// Calls `body` with the ordinals of paragraphs whose lists hold every adjacent pair of
    /// `words` (at least 2), in increasing order, within the filter's ordinal range and
    /// after `after`, until `body` returns false. - Returns: whether `body` stopped it
    /// (false when the candidates ran out).
    ///
    /// With `needs` (per pair of `words`, the mask bits it needs: `PhraseIndex.needs`),
    /// only paragraphs whose masks hold those bits, and a pair ending with `the` read from
    /// the bucket of the word after it when the quotation gives it; without, any paragraph
    /// holding the pairs, each read from its own bucket (near mode, where punctuation and
    /// the words around a pair do not count).
    ///
    /// Lazy: the lists are intersected as they are read, rarest first, each skipping to
    /// the current candidate (`PostingReader`), so a lookup that stops after a page of
    /// matches reads a page's worth of each list, not the whole lists. Only the
    /// `PhraseIndex.listsIntersected` rarest lists are intersected; the text check decides
    /// the other pairs.
    func forEachCandidate(
        words: ArraySlice<UInt64>, needs: [UInt32]?, filter: QuoteFilter, after: UInt32, _ body: (UInt32) throws -> Bool
    ) throws -> Bool {
        let w = Array(words)
        if let needs { precondition(needs.count == w.count - 1) }
        var buckets: [UInt32] = []
        // Per bucket, the bits its mask needs: a bucket that two pairs share needs both's.
        var needed: [UInt32] = []
        for (i, b) in PhraseIndex.buckets(w, nextKnown: needs != nil).enumerated() {
            let n = needs?[i] ?? 0
            if let j = buckets.firstIndex(of: b) {
                needed[j] |= n
            } else {
                buckets.append(b)
                needed.append(n)
            }
        }
        guard after < PhraseIndex.maxOrdinal else { return false }
        let lower = max(after + 1, filter.ordinals?.lowerBound ?? 0)
        let upper = min(filter.ordinals?.upperBound ?? .max, PhraseIndex.maxOrdinal)
        if lower > upper { return false }
        return try txn.withPostingReaders(schema.phrases, keys: buckets.map(PhraseIndex.key)) { readers in
            // The rarest lists only: see `PhraseIndex.listsIntersected`.
            let order = readers.indices.sorted { readers[$0].count < readers[$1].count }.prefix(PhraseIndex.listsIntersected)
            if readers[order[0]].count == 0 { return false }
            let need = order.map { needed[$0] }
            // Unretained: `readers` keeps them alive; a retain and release per step cost a
            // third of the intersection.
            return try order.map { Unmanaged.passUnretained(readers[$0]) }.withUnsafeBufferPointer { lists in
                @inline(__always) func next(_ k: Int, _ target: UInt32) throws -> UInt32? {
                    try lists[k]._withUnsafeGuaranteedRef { try $0.next(atLeast: target) }
                }
                let need0 = need[0]
                // The rarest list is read a page at a time, in place (`run(atLeast:)`). Each
                // of its paragraphs whose mask fits is looked for in the other lists, each
                // skipping ahead to it; a list that lacks it moves the walk on to the
                // paragraph that list has next (`from`).
                var target = lower
                while true {
                    guard let run = try lists[0]._withUnsafeGuaranteedRef({ try $0.run(atLeast: target << 8) }) else {
                        return false
                    }
                    @inline(__always) func ordinal(_ k: Int) -> UInt32 {
                        UInt32(bigEndian: run.loadUnaligned(fromByteOffset: k &* 4, as: UInt32.self)) >> 8
                    }
                    let n = run.count / 4
                    let lastInRun = ordinal(n - 1)
                    var from = target
                    var k = 0
                    while k < n && from <= lastInRun {
                        let v = UInt32(bigEndian: run.loadUnaligned(fromByteOffset: k &* 4, as: UInt32.self))
                        k &+= 1
                        let x = v >> 8
                        if x > upper { return false }
                        if x < from || v & need0 != need0 { continue }
                        var fits = true
                        var i = 1
                        while i < lists.count {
                            guard let y = try next(i, x << 8), y >> 8 <= upper else { return false }
                            if y >> 8 != x {
                                from = y >> 8
                                fits = false
                                break
                            }
                            if y & need[i] != need[i] {
                                fits = false
                                break
                            }
                            i += 1
                        }
                        if fits {
                            guard try body(x) else { return true }
                        }
                        if x == upper { return false }
                        from = max(from, x + 1)
                    }
                    if lastInRun >= upper { return false }
                    target = max(from, lastInRun + 1)
                }
            }
        }
    }

    /// The sorted ordinals of paragraphs whose lists hold every adjacent pair of `words`
    /// (at least 2), within the filter's ordinal range and after `after` (`forEachCandidate`).
    func candidateOrdinals(
        words: ArraySlice<UInt64>, needs: [UInt32]? = nil, filter: QuoteFilter, after: UInt32
    ) throws -> [UInt32] {
        var out: [UInt32] = []
        _ = try forEachCandidate(words: words, needs: needs, filter: filter, after: after) { o in
            out.append(o)
            return true
        }
        return out
    }

    // MARK: Checking a candidate

    /// Reads paragraph `ordinal` (its document from `phrase_spans`, through `spans`),
    /// applies the filters, and finds the matches: with `inBytes`, on the text's UTF-8
    /// bytes (the matches' source ranges, empty for none, or `nil` to leave it to
    /// `match`); else `match` looks at the folded text.
    /// - Returns: the match with the paragraph decoded, or `nil`.
    /// - Throws: `.corrupt` when no document's span holds the ordinal (the index and the
    ///   documents disagree: `verbatim verify` names what).
    private func check(
        ordinal: UInt32, spans: inout Cursor, paras: inout Cursor, filter: inout QuoteFilter, scratch: inout PhraseText,
        inBytes: ((UnsafeRawBufferPointer) -> [Range<Int>]?)? = nil,
        _ match: (PhraseText) -> (ranges: [Range<Int>], distance: Int)?
    ) throws -> QuoteMatch? {
        // Made only when thrown: a message per candidate would be an allocation per candidate.
        func corrupt() -> StoreError {
            StoreError(.corrupt, "the phrase index lists paragraph ordinal \(ordinal), which no document holds")
        }
        guard try spans.seek(atLeast: Keys.id(ordinal)) else { throw corrupt() }
        return try spans.withCurrent { _, value in
            try value.withUnsafeBytes { entry -> QuoteMatch? in
                guard let span = PhraseSpan(entry), span.first <= ordinal else { throw corrupt() }
                let number = ordinal - span.first + 1
                // A cursor: a candidate in a document on the leaf page of the one before is
                // found in that page, without a descent from the root.
                guard try paras.seek(exactly: Keys.id(span.id)) else { return nil }
                return try paras.withCurrent { (_, stored: RawSpan) throws -> QuoteMatch? in
                    try stored.withUnsafeBytes { table -> QuoteMatch? in
                        guard let bytes = try ParagraphTable.record(number, in: table, document: span.id) else { return nil }
                        let unfiltered = filter.dates == nil && filter.speakers == nil
                        guard let fields = unfiltered ? ParagraphFields(textOf: bytes) : ParagraphFields(bytes) else {
                            throw StoreError(.corrupt, "paragraph \(number) of document \(span.id) does not decode")
                        }
                        if let dates = filter.dates, !dates.contains(fields.date) { return nil }
                        if let speakers = filter.speakers, !speakers.contains(fields.speaker) { return nil }
                        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[fields.text])
                        let m: (ranges: [Range<Int>], distance: Int)
                        if let inBytes, let ranges = inBytes(utf8) {
                            guard !ranges.isEmpty else { return nil }
                            m = (ranges, 0)
                        } else {
                            scratch.reset(String(decoding: utf8, as: UTF8.self))
                            guard let found = match(scratch) else { return nil }
                            m = found
                        }
                        guard let cited = unfiltered ? ParagraphFields(bytes) : fields else {
                            throw StoreError(.corrupt, "paragraph \(number) of document \(span.id) does not decode")
                        }
                        return QuoteMatch(
                            encodedParagraph: try filter.encoder.encode(
                                cited, record: bytes,
                                in: .init(id: span.id, name: span.name, title: span.title, date: span.date)),
                            ranges: m.ranges,
                            distance: m.distance)
                    }
                }
            }
        }
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
    /// Encodes the matches, with the parts their long citations share.
    var encoder = CitedParagraphEncoder()

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
        }
    }
}

/// The fields of a stored paragraph that quote lookup filters on, found in its bytes
/// without decoding the message.
struct ParagraphFields {
    private init() {}
    var text: Range<Int> = 0..<0
    var speaker: UInt32 = 0
    var date: UInt32 = 0
    /// What a match's long citation needs: the number, and the speaker's name, role and
    /// affiliation (empty when there is no speaker), as ranges of the record's bytes.
    var number: UInt32 = 0
    var name: Range<Int> = 0..<0
    var role: Range<Int> = 0..<0
    var affiliation: Range<Int> = 0..<0

    init?(_ b: UnsafeRawBufferPointer) {
        var f = ParagraphFields()
        var speakerOK = true
        let ok = StoredFields.forEach(b) { field, v, bytes in
            switch field {
            case 4: f.number = UInt32(truncatingIfNeeded: v)
            case 10: f.date = UInt32(truncatingIfNeeded: v)
            case 5: f.text = bytes
            case 7:
                // SpeakerRef: id 1, name 2, role 3, affiliation 4.
                let base = bytes.lowerBound
                speakerOK = StoredFields.forEach(UnsafeRawBufferPointer(rebasing: b[bytes])) { g, id, r in
                    let r = (r.lowerBound + base)..<(r.upperBound + base)
                    switch g {
                    case 1: f.speaker = UInt32(truncatingIfNeeded: id)
                    case 2: f.name = r
                    case 3: f.role = r
                    case 4: f.affiliation = r
                    default: break
                    }
                }
            default: break
            }
        }
        guard ok, speakerOK else { return nil }
        self = f
    }

    /// Only where the text is, reading the record no further than the text (field 5, after
    /// the few short fields before it): what follows it is not touched, and for most
    /// candidates, which do not match, it would be memory read for nothing. (A match's
    /// fields are read whole, and a malformed record is an error then; `verbatim verify`
    /// decodes every record.)
    init?(textOf b: UnsafeRawBufferPointer) {
        var r = ProtoReader(b)
        while !r.atEnd {
            guard let (field, wire) = r.tag() else { return nil }
            if field == 5 && wire == 2 {
                guard let bytes = r.byteRange() else { return nil }
                text = bytes
                return
            }
            guard r.skip(wire: wire) else { return nil }
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

