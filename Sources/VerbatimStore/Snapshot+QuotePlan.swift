import LMDB
import VerbatimModel

/// What the phrase index holds for a quotation (diagnostics: `verbatim-bench quote --slowest`).
public struct QuotePlan: Sendable {
    /// The posting-list length of each distinct bucket an exact lookup of the quotation
    /// reads (`PhraseIndex.buckets`), shortest first.
    public var listLengths: [Int]
    /// Paragraphs listed under each of the lists a lookup intersects (the
    /// `PhraseIndex.listsIntersected` rarest).
    public var candidates: Int
    /// Those whose masks hold the bits the quotation needs: the candidates whose text is checked.
    public var fitting: Int
}

extension Snapshot {
    /// The list lengths and the number of candidates of an exact lookup of `text`,
    /// without filters (the whole intersection, not the lazy one `findQuote` does).
    public func quotePlan(_ text: String) throws -> QuotePlan {
        let needle = PhraseText(Self.trimQuotation(text))
        let words = needle.wordHashes
        guard words.count >= 2 else { return QuotePlan(listLengths: [], candidates: 0, fitting: 0) }
        let buckets = Set(PhraseIndex.buckets(words, nextKnown: true))
        let lengths = try buckets.map { try txn.duplicateCount(schema.phrases, key: PhraseIndex.key($0)) }.sorted()
        let filter = try QuoteFilter(QuoteQuery(text), snapshot: self)
        let candidates = try candidateOrdinals(words: words[...], filter: filter, after: 0)
        let fitting = try candidateOrdinals(words: words[...], needs: PhraseIndex.needs(needle), filter: filter, after: 0)
        return QuotePlan(listLengths: lengths, candidates: candidates.count, fitting: fitting.count)
    }
}
