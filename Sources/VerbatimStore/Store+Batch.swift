import LMDB
import VerbatimModel

extension Store {
    /// Stores several documents in one write transaction, each in a nested transaction of
    /// its own: each document is stored whole or not at all, exactly as `ingest(_:source:)`
    /// would, and a document that fails (a symbol conflict, no paragraphs, misnumbered ones) leaves the
    /// others untouched. One commit for many documents makes bulk loads much faster (the
    /// index pages that documents share are written once per batch, not once per document).
    /// - Returns: one result per document, in order.
    /// - Throws: `StoreError.storage` when the transaction itself fails (nothing is stored).
    public func ingest(batch: [(document: Document, source: String?)]) throws(StoreError) -> [Result<IngestOutcome, StoreError>] {
        let hashes = batch.map { ContentHash.of($0.document) }
        do {
            return try env.write { txn in
                let phrases = PhraseBatch()
                var results: [Result<IngestOutcome, StoreError>] = []
                results.reserveCapacity(batch.count)
                for (i, item) in batch.enumerated() {
                    if let invalid = Self.invalid(item.document) {
                        results.append(.failure(invalid))
                        continue
                    }
                    do {
                        let outcome = try txn.nested { child in
                            let w = Writer(
                                txn: WriteTransaction(handle: child._handle), schema: schema, phraseBatch: phrases)
                            return try w.ingest(item.document, hash: hashes[i], source: item.source)
                        }
                        phrases.commitDocument()
                        results.append(.success(outcome))
                    } catch let e as StoreError {
                        phrases.abortDocument()
                        results.append(.failure(e))
                    }
                    // LMDB errors (a full map) abort the whole batch; `write` grows the map and retries.
                }
                // The phrase postings of the documents stored, in key order (`PhraseBatch`).
                try phrases.insert(txn: txn, schema: schema)
                return results
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
