import LMDB
import VerbatimModel

/// The phrase index behind quote lookup (docs/CITATIONS.md, "Quote lookup").
///
/// Every paragraph gets an ordinal (from the `next_paragraph_ordinal` counter, at most
/// `maxOrdinal`; a document's paragraphs get consecutive ordinals, paragraph n the
/// document's first plus n - 1, recorded in `phrase_docs` as the first one, and in
/// `phrase_spans` under the last one: `PhraseSpan`). The text is folded (`PhraseText`,
/// the `Folding.text` form) and cut into words;
/// every pair of adjacent words is hashed into one of 2^21 buckets, and `phrases` holds,
/// per bucket, one 4-byte value per paragraph containing a pair of that bucket, sorted
/// (`MDB_DUPFIXED`): the ordinal in the high 24 bits and, in the low 8, what the pairs of
/// that bucket look like there (`mask(_:pair:)`, or-ed over them): whether the text
/// between their two words is other than one space, the same for the text after their
/// second word, and 2 bits of 6 chosen by the word after them. A pair ending with `the`
/// is listed twice: in its bucket, and in the bucket of the pair and the class of the
/// word after it (`split(_:)`).
///
/// A lookup intersects the lists of the quotation's pairs, rarest first, keeps the
/// paragraphs whose masks hold the bits the quotation needs (`needs(_:)`), and verifies
/// each against the stored text: buckets and bits only narrow the search; the answer
/// comes from the text, so there are no false positives, and since every paragraph
/// containing the quotation is in every list with those bits, no false negatives.
///
/// The index is written and removed by `Writer` in the transaction that writes or removes
/// the document, so it is never stale.
enum PhraseIndex {
    static let bucketBits = 21

    /// The bucket of a pair of adjacent words (their `PhraseText` word hashes).
    @inline(__always)
    static func bucket(_ a: UInt64, _ b: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: PhraseText.pairHash(a, b) >> UInt64(64 - bucketBits))
    }

    /// The hash of `the`: a pair ending with it (`of the`, `to the`, `all the`) is split
    /// by the word after it (`split(_:)`).
    static let the = PhraseText("the").wordHashes[0]

    /// Whether a pair whose second word has hash `b` is split: its paragraphs are also
    /// listed in one of `splitClasses` buckets by the class of the word after it
    /// (`nextClass`). Such pairs are in most paragraphs, several times each, so that the 6
    /// bits of the word after them, or-ed over a paragraph, fit nearly any word; split, a
    /// lookup that knows the word after the pair reads about a sixteenth of the list, and
    /// the bits of the pairs of that class only.
    @inline(__always)
    static func split(_ b: UInt64) -> Bool { b == the }

    /// How many buckets a split pair is listed in.
    static let splitClasses = 16

    /// The class of the word after a split pair (its word hash): bits of the hash that
    /// `next(_:plainBefore:)` does not use.
    @inline(__always)
    static func nextClass(_ wordHash: UInt64) -> Int { Int(truncatingIfNeeded: wordHash >> 52) & (splitClasses - 1) }

    /// The bucket of a split pair followed by a word of class `next`.
    @inline(__always)
    static func bucket(_ a: UInt64, _ b: UInt64, next: Int) -> UInt32 {
        let h = (PhraseText.pairHash(a, b) ^ UInt64(next &+ 1) &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        return UInt32(truncatingIfNeeded: h >> UInt64(64 - bucketBits))
    }

    /// The bucket a lookup reads for each pair of `words` (hashes, at least 2): for a split
    /// pair whose next word it knows (all but the last pair of the quotation, in exact
    /// mode), the bucket of its class; else the pair's own bucket, where split pairs are
    /// listed too.
    static func buckets(_ words: [UInt64], nextKnown: Bool) -> [UInt32] {
        (0..<(words.count - 1)).map { i in
            nextKnown && i + 2 < words.count && split(words[i + 1])
                ? bucket(words[i], words[i + 1], next: nextClass(words[i + 2])) : bucket(words[i], words[i + 1])
        }
    }

    /// How many of a quotation's lists a lookup intersects, the rarest: a paragraph on
    /// those is rarely missing from the others, and skipping to each candidate in a long
    /// list costs a descent into it. On the corpus (2,000 quotations of each length), 5
    /// instead of all: 8-word lookups 22,900 -> 26,000 per second and thread CPU p99 207 ->
    /// 183 µs, 16-word 17,300 -> 22,100 per second and p99 86 -> 68 µs, for 9% more
    /// candidates checked at 8 words (docs/PERFORMANCE.md).
    static let listsIntersected = 5

    /// The largest paragraph ordinal: a value holds the ordinal shifted left by 8.
    static let maxOrdinal: UInt32 = (1 << 24) - 1

    // The mask bits of a pair of words (at most 8: the low byte of a value).
    /// The text between the pair's words is anything but one space (punctuation, several
    /// spaces). One space sets no bit: nearly every paragraph holding a pair has it so.
    static let notPlain: UInt32 = 1 << 0
    /// The text after the pair's second word is anything but one space, or the second word
    /// is the last word of the paragraph.
    static let notPlainAfter: UInt32 = 1 << 1

    /// The bits of the word after a pair: 2 of bits 2...7 (one of 15 choices), from the
    /// word's hash and whether the text before it is one space (the two cases hash apart).
    /// A paragraph where the pair is followed by one word has a 1 in 15 chance of fitting
    /// another word, where one class of 4 (schema 5) had 1 in 4.
    @inline(__always)
    static func next(_ wordHash: UInt64, plainBefore: Bool) -> UInt32 {
        let h = plainBefore ? wordHash : (wordHash ^ 0x5BD1_E995_1234_5678) &* 0x9E37_79B9_7F4A_7C15
        return twoOfSix[Int((((h >> 13) & 0xFFFF) &* 15) >> 16)]
    }

    /// The 15 ways of setting 2 of bits 2...7.
    private static let twoOfSix: [UInt32] = (2..<8).flatMap { a in ((a + 1)..<8).map { b in 1 << a | 1 << b } }

    /// Whether the folded text between word `i` and word `i + 1` is one space.
    @inline(__always)
    static func plainGap(_ text: PhraseText, after i: Int) -> Bool {
        let a = Int(text.words[i].upperBound)
        return Int(text.words[i + 1].lowerBound) == a + 1 && text.scalars[a] == 0x20
    }

    /// The mask bits of the pair of words `i` and `i + 1` of a paragraph's text.
    @inline(__always)
    static func mask(_ text: PhraseText, pair i: Int) -> UInt32 {
        var m = plainGap(text, after: i) ? 0 : notPlain
        if i + 2 < text.words.count {
            let plainAfter = plainGap(text, after: i + 1)
            if !plainAfter { m |= notPlainAfter }
            m |= next(text.wordHashes[i + 2], plainBefore: plainAfter)
        } else {
            m |= notPlainAfter
        }
        return m
    }

    /// The bits each pair of a quotation (folded, at least 2 words) needs in its list's
    /// mask: `notPlain` when its own gap is not one space; for all but the last pair, the
    /// bits of the word after it (with the gap before that word) and `notPlainAfter` when
    /// that gap is not one space; for the last pair, `notPlainAfter` when the quotation
    /// goes on past its last word with something other than one space (`of the Programme —`).
    static func needs(_ quote: PhraseText) -> [UInt32] {
        let k = quote.words.count
        return (0..<(k - 1)).map { j in
            var m = plainGap(quote, after: j) ? 0 : notPlain
            if j + 2 < k {
                let plainAfter = plainGap(quote, after: j + 1)
                if !plainAfter { m |= notPlainAfter }
                m |= next(quote.wordHashes[j + 2], plainBefore: plainAfter)
            } else {
                let rest = quote.scalars[Int(quote.words[j + 1].upperBound)...]
                if !rest.isEmpty && !(rest.count == 1 && rest.first == 0x20) { m |= notPlainAfter }
            }
            return m
        }
    }

    /// The index entries of a folded text: `bucket << 32 | mask`, one per distinct bucket
    /// (the mask of all its pairs' bits), sorted.
    static func entries(_ text: PhraseText) -> [UInt64] {
        let h = text.wordHashes
        guard h.count >= 2 else { return [] }
        var out = [UInt64]()
        out.reserveCapacity(h.count - 1)
        for i in 1..<h.count {
            let m = UInt64(mask(text, pair: i - 1))
            out.append(UInt64(bucket(h[i - 1], h[i])) << 32 | m)
            // A split pair followed by a word is also listed under its class.
            if split(h[i]) && i + 1 < h.count {
                out.append(UInt64(bucket(h[i - 1], h[i], next: nextClass(h[i + 1]))) << 32 | m)
            }
        }
        out.sort()
        var w = 0
        for i in 0..<out.count {
            if w > 0 && out[w - 1] >> 32 == out[i] >> 32 {
                out[w - 1] |= out[i] & 0xFF
            } else {
                out[w] = out[i]
                w += 1
            }
        }
        out.removeLast(out.count - w)
        return out
    }

    /// The stored value of paragraph `ordinal` with mask `mask`.
    @inline(__always)
    static func value(ordinal: UInt32, mask: UInt64) -> UInt64 { UInt64(ordinal) << 8 | (mask & 0xFF) }

    static func key(_ bucket: UInt32) -> BigEndianKey<UInt32> { BigEndianKey(bucket) }

    /// Inserts postings (bucket << 32 | value), sorting them first: in key order, with
    /// one cursor, each bucket's new ordinals in one put appended after its existing ones
    /// (ordinals only grow: `next_paragraph_ordinal` never goes back).
    static func insert(_ postings: inout [UInt64], txn: borrowing WriteTransaction, schema: Schema) throws {
        postings.sort()
        try txn.putSortedUInt32Postings(schema.phrases, postings, appendingValues: true)
    }
}

/// A document's entry in `phrase_spans`, under the last ordinal of its paragraphs: the
/// first entry at or after an ordinal (`MDB_SET_RANGE`, in a database of one small entry
/// per document, whose pages stay in the CPU's caches) names the paragraph that has it,
/// and gives what the long citation of a match needs of its document without reading
/// the document's record. Written and removed with the document, so never stale.
///
/// Value: doc id, first ordinal, packed date (u32 BE each), the length of the name (u32
/// BE), the name the document is cited by (its symbol, else its key) and its title, both UTF-8.
struct PhraseSpan {
    var id: UInt32
    var first: UInt32
    var date: UInt32
    var name: UnsafeRawBufferPointer
    var title: UnsafeRawBufferPointer

    /// Reads an entry in place; nil when it is too short for what it says it holds.
    init?(_ b: UnsafeRawBufferPointer) {
        guard b.count >= 16 else { return nil }
        func u32(_ at: Int) -> UInt32 { UInt32(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        let n = Int(u32(12))
        guard n <= b.count - 16 else { return nil }
        id = u32(0)
        first = u32(4)
        date = u32(8)
        name = UnsafeRawBufferPointer(rebasing: b[16..<(16 + n)])
        title = UnsafeRawBufferPointer(rebasing: b[(16 + n)...])
    }

    /// The entry of document `id` (`doc` as ingested) whose first paragraph has ordinal `first`.
    static func value(id: UInt32, first: UInt32, _ doc: Document) -> [UInt8] {
        let symbol = doc.symbol ?? ""
        let name = Array((symbol.isEmpty ? doc.key : symbol).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(16 + name.count + (doc.title?.utf8.count ?? 0))
        for v in [id, first, doc.date?.packed ?? 0, UInt32(name.count)] {
            withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
        }
        out += name
        out += (doc.title ?? "").utf8
        return out
    }
}

/// The phrase-index postings of a batch of documents (`Store.ingest(batch:)`), inserted
/// all at once, sorted, in the batch's write transaction after its documents: one pass
/// over the buckets per batch instead of one per document, and no copy of index pages
/// into each document's nested transaction.
///
/// A document's postings join `pending` only when its nested transaction commits
/// (`commitDocument`), and are dropped when it fails (`abortDocument`), so the index gets
/// exactly the postings of the documents stored. A document removed later in the same
/// batch (replaced or deleted) had its postings pending, not stored: they are dropped by
/// ordinal (`removed`) when the batch is inserted.
final class PhraseBatch {
    var pending: [UInt64] = []
    var removed: [Range<UInt32>] = []
    var current: [UInt64] = []
    var currentRemoved: [Range<UInt32>] = []

    func commitDocument() {
        pending.append(contentsOf: current)
        removed.append(contentsOf: currentRemoved)
        abortDocument()
    }

    func abortDocument() {
        current.removeAll(keepingCapacity: true)
        currentRemoved.removeAll()
    }

    /// Inserts the pending postings (in the batch's transaction, after every document).
    func insert(txn: borrowing WriteTransaction, schema: Schema) throws {
        if !removed.isEmpty {
            let gone = removed
            pending.removeAll { p in
                let o = UInt32(truncatingIfNeeded: p) >> 8
                return gone.contains { $0.contains(o) }
            }
        }
        try PhraseIndex.insert(&pending, txn: txn, schema: schema)
        pending = []
        removed = []
    }
}

extension Writer {
    /// Adds the phrase-index entries of document `id` (its paragraphs already parsed in `doc`).
    func addPhrases(_ doc: Document, id: UInt32) throws {
        let count = UInt32(doc.paragraphs.count)
        let first = try txn.get(schema.meta, key: "next_paragraph_ordinal") { Keys.u32($0) } ?? 1
        guard first <= PhraseIndex.maxOrdinal, PhraseIndex.maxOrdinal - first >= count else {
            throw StoreError(.storage, "paragraph ordinals exhausted; compact the store (backup and restore)")
        }
        try txn.put(schema.meta, key: "next_paragraph_ordinal", value: BigEndianKey(first + count))
        try txn.put(schema.phraseDocs, key: Keys.id(id), value: Keys.id(first))
        if count > 0 {
            try txn.put(
                schema.phraseSpans, key: Keys.id(first + count - 1), value: PhraseSpan.value(id: id, first: first, doc),
                flags: .append)
        }
        var postings: [UInt64] = []
        var folded = PhraseText()
        for (i, p) in doc.paragraphs.enumerated() {
            let ordinal = first + UInt32(i)
            folded.reset(p.text.precomposed, offsets: false)
            for e in PhraseIndex.entries(folded) {
                postings.append(e & 0xFFFF_FFFF_0000_0000 | PhraseIndex.value(ordinal: ordinal, mask: e))
            }
        }
        if let batch = phraseBatch {
            // Inserted with the rest of the batch, in key order, once every document is in.
            batch.current.append(contentsOf: postings)
        } else {
            try PhraseIndex.insert(&postings, txn: txn, schema: schema)
        }
    }

    /// Removes the phrase-index entries of document `id` (`paragraphCount` paragraphs, as
    /// its record says), given its stored paragraphs, paragraph 1 first.
    func removePhrases(documentID id: UInt32, paragraphCount: UInt32, paragraphs: [ParagraphRecord]) throws {
        guard let first = try txn.get(schema.phraseDocs, key: Keys.id(id), { Keys.u32($0) }) else { return }
        // Postings of this batch not inserted yet are dropped instead (see `PhraseBatch`).
        phraseBatch?.currentRemoved.append(first..<(first + paragraphCount))
        if paragraphCount > 0 { try txn.delete(schema.phraseSpans, key: Keys.id(first + paragraphCount - 1)) }
        var postings: [UInt64] = []
        var folded = PhraseText()
        for (n, p) in paragraphs.enumerated() {
            let ordinal = first + UInt32(n)
            folded.reset(p.text, offsets: false)
            for e in PhraseIndex.entries(folded) {
                postings.append(e & 0xFFFF_FFFF_0000_0000 | PhraseIndex.value(ordinal: ordinal, mask: e))
            }
        }
        postings.sort()
        for p in postings {
            try txn.delete(
                schema.phrases, key: PhraseIndex.key(UInt32(p >> 32)), value: BigEndianKey(UInt32(truncatingIfNeeded: p)))
        }
        try txn.delete(schema.phraseDocs, key: Keys.id(id))
    }
}
