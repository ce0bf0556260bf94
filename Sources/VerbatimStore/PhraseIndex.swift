import LMDB
import VerbatimModel

/// The phrase index behind quote lookup (docs/CITATIONS.md, "Quote lookup").
///
/// Every paragraph gets an ordinal (a `UInt32` from the `next_paragraph_ordinal` counter;
/// a document's paragraphs get consecutive ordinals, recorded in `phrase_docs` as the
/// first one, and `phrase_paras` maps an ordinal back to (doc id, number)). The text is
/// folded (`PhraseText`, the `Folding.text` form) and cut into words; every pair of
/// adjacent words is hashed into one of 2^21 buckets, and `phrases` holds, per bucket,
/// the sorted ordinals of the paragraphs containing a pair of that bucket (4 bytes each,
/// `MDB_DUPFIXED`). A paragraph is listed once per bucket however often its pairs occur.
///
/// A lookup intersects the lists of the quotation's pairs, rarest first, and verifies each
/// candidate against the stored text: buckets and paragraph-level lists only narrow the
/// search; the answer comes from the text, so there are no false positives, and since
/// every paragraph containing the quotation is in every list, no false negatives.
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

    /// The distinct buckets of a folded text, sorted.
    static func buckets(_ text: PhraseText) -> [UInt32] {
        let h = text.wordHashes
        guard h.count >= 2 else { return [] }
        var out = [UInt32]()
        out.reserveCapacity(h.count - 1)
        for i in 1..<h.count { out.append(bucket(h[i - 1], h[i])) }
        out.sort()
        var w = 0
        for i in 0..<out.count where i == 0 || out[i] != out[i - 1] {
            out[w] = out[i]
            w += 1
        }
        out.removeLast(out.count - w)
        return out
    }

    static func key(_ bucket: UInt32) -> BigEndianKey<UInt32> { BigEndianKey(bucket) }

    /// Inserts postings (bucket << 32 | ordinal), sorting them first: in key order, with
    /// one cursor, each bucket's new ordinals in one put appended after its existing ones
    /// (ordinals only grow: `next_paragraph_ordinal` never goes back).
    static func insert(_ postings: inout [UInt64], txn: borrowing WriteTransaction, schema: Schema) throws {
        postings.sort()
        try txn.putSortedUInt32Postings(schema.phrases, postings, appendingValues: true)
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
                let o = UInt32(truncatingIfNeeded: p)
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
        guard UInt32.max - first > count else {
            throw StoreError(.storage, "paragraph ordinals exhausted; compact the store (backup and restore)")
        }
        try txn.put(schema.meta, key: "next_paragraph_ordinal", value: BigEndianKey(first + count))
        try txn.put(schema.phraseDocs, key: Keys.id(id), value: Keys.id(first))
        var postings: [UInt64] = []
        var folded = PhraseText()
        for (i, p) in doc.paragraphs.enumerated() {
            let ordinal = first + UInt32(i)
            try txn.put(schema.phraseParas, key: Keys.id(ordinal), value: Keys.paragraph(id, UInt32(p.number)), flags: .append)
            folded.reset(p.text.precomposed, offsets: false)
            for b in PhraseIndex.buckets(folded) { postings.append(UInt64(b) << 32 | UInt64(ordinal)) }
        }
        if let batch = phraseBatch {
            // Inserted with the rest of the batch, in key order, once every document is in.
            batch.current.append(contentsOf: postings)
        } else {
            try PhraseIndex.insert(&postings, txn: txn, schema: schema)
        }
    }

    /// Removes the phrase-index entries of document `id`, reading its stored paragraphs
    /// (call before they are deleted).
    func removePhrases(documentID id: UInt32, paragraphCount: UInt32) throws {
        guard let first = try txn.get(schema.phraseDocs, key: Keys.id(id), { Keys.u32($0) }) else { return }
        // Postings of this batch not inserted yet are dropped instead (see `PhraseBatch`).
        phraseBatch?.currentRemoved.append(first..<(first + paragraphCount))
        var postings: [UInt64] = []
        var folded = PhraseText()
        for n in 0..<paragraphCount {
            let ordinal = first + n
            try txn.delete(schema.phraseParas, key: Keys.id(ordinal))
            guard let text = try txn.get(schema.paras, key: Keys.paragraph(id, n + 1), { try ParagraphRecord(span: $0).text })
            else { continue }
            folded.reset(text, offsets: false)
            for b in PhraseIndex.buckets(folded) { postings.append(UInt64(b) << 32 | UInt64(ordinal)) }
        }
        postings.sort()
        for p in postings {
            try txn.delete(
                schema.phrases, key: PhraseIndex.key(UInt32(p >> 32)), value: BigEndianKey(UInt32(truncatingIfNeeded: p)))
        }
        try txn.delete(schema.phraseDocs, key: Keys.id(id))
    }
}
