import Foundation
import LMDB
import SwiftProtobuf
import VerbatimModel
import VerbatimProtocol

/// What ingesting one document did.
public enum IngestOutcome: Sendable, Hashable {
    /// A new document, stored under this id.
    case added(UInt32)
    /// A document with the same key existed with other content; it was replaced.
    case replaced(UInt32)
    /// The same content was already stored; nothing was written.
    case unchanged(UInt32)

    public var documentID: UInt32 {
        switch self {
        case .added(let id), .replaced(let id), .unchanged(let id): id
        }
    }
}

extension Store {
    /// Stores `document` in one write transaction: all of it or none.
    ///
    /// A document whose key (or symbol) is already stored is replaced when its content
    /// differs, leaving no index entry of the old version, and left untouched when it is
    /// the same (`.unchanged`, nothing written). Speakers are merged with the speakers of
    /// other documents by identity.
    /// - Parameters:
    ///   - document: the parsed document.
    ///   - source: where it came from (a path, `path:line`), kept in its record.
    /// - Throws: `StoreError.conflict` when its symbol belongs to another document;
    ///   `.invalidArgument` for a document without paragraphs or whose paragraphs are not
    ///   numbered 1, 2, 3, … in order (nothing is written); `.storage`.
    @discardableResult
    public func ingest(_ document: Document, source: String? = nil) throws(StoreError) -> IngestOutcome {
        if let invalid = Self.invalid(document) { throw invalid }
        let hash = ContentHash.of(document)
        do {
            return try env.write { txn in
                let w = Writer(txn: WriteTransaction(handle: txn._handle), schema: schema)
                return try w.ingest(document, hash: hash, source: source)
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Deletes the document whose key or symbol is `keyOrSymbol`, with all its paragraphs
    /// and index entries, in one write transaction. Speakers left without paragraphs go too.
    /// - Throws: `StoreError.notFound` when there is no such document.
    public func delete(_ keyOrSymbol: String) throws(StoreError) {
        do {
            try env.write { txn in
                let w = Writer(txn: WriteTransaction(handle: txn._handle), schema: schema)
                guard let id = try w.txn.get(schema.docKeys, key: Folding.symbol(keyOrSymbol), { Keys.u32($0) }) else {
                    throw StoreError(.notFound, "unknown document \"\(keyOrSymbol)\"")
                }
                try w.remove(documentID: id)
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}

/// The write side of the schema, inside one write transaction.
struct Writer: ~Copyable {
    let txn: WriteTransaction
    let schema: Schema
    /// In a batch: where phrase postings go, to be inserted after the batch's documents.
    var phraseBatch: PhraseBatch? = nil

    func ingest(_ doc: Document, hash: UInt64, source: String?) throws -> IngestOutcome {
        let existing = try txn.get(schema.docKeys, key: Folding.symbol(doc.key)) { Keys.u32($0) }
        if let symbol = doc.symbol {
            if let owner = try txn.get(schema.docKeys, key: Folding.symbol(symbol), { Keys.u32($0) }), owner != existing {
                let other = try txn.get(schema.docs, key: Keys.id(owner)) { try DocumentRecord(span: $0).key } ?? "?"
                throw StoreError(.conflict, "symbol \(symbol) already belongs to document \"\(other)\"")
            }
        }
        if let existing, try isUnchanged(doc, id: existing, hash: hash) {
            return .unchanged(existing)
        }
        if let existing { try remove(documentID: existing) }
        let id = try existing ?? nextCounter("next_doc_id")
        try add(doc, id: id, hash: hash, source: source, isNew: existing == nil)
        return existing == nil ? .added(id) : .replaced(id)
    }

    // MARK: Adding

    private func add(_ doc: Document, id: UInt32, hash: UInt64, source: String?, isNew: Bool) throws {
        // Speakers first: their ids go into the paragraph records.
        var speakerRefs: [Verbatim_V1_SpeakerRef] = []
        var docSpeakers: [Verbatim_V1_DocumentSpeaker] = []
        var paragraphsBySpeaker = [Int](repeating: 0, count: doc.speakers.count)
        for p in doc.paragraphs { if let s = p.speaker { paragraphsBySpeaker[s] += 1 } }
        for (i, s) in doc.speakers.enumerated() {
            let sid = try addSpeaker(s, paragraphs: paragraphsBySpeaker[i])
            speakerRefs.append(RecordBuilder.speakerRef(s, id: sid))
            var ds = Verbatim_V1_DocumentSpeaker()
            ds.speakerID = sid
            ds.aliases = RecordBuilder.aliases(of: s)
            docSpeakers.append(ds)
        }
        var record = RecordBuilder.document(doc, id: id, hash: hash, speakers: docSpeakers)
        record.source = source ?? ""
        record.ingestedAt = Int64(Date().timeIntervalSince1970)
        try txn.put(schema.docs, key: Keys.id(id), value: try record.serializedBytes() as [UInt8])
        try txn.put(schema.docKeys, key: Folding.symbol(doc.key), value: Keys.id(id))
        if let symbol = doc.symbol { try txn.put(schema.docKeys, key: Folding.symbol(symbol), value: Keys.id(id)) }

        let date = doc.date?.packed ?? 0
        let records = try paragraphRecords(doc, id: id, speakers: speakerRefs)
        try txn.put(schema.paras, key: Keys.id(id), value: ParagraphTable.encode(records), flags: isNew ? .append : [])
        for p in doc.paragraphs {
            let n = UInt32(p.number)
            if let s = p.speaker {
                try txn.put(
                    schema.speakerParas, key: Keys.id(speakerRefs[s].id),
                    value: Keys.speakerPosting(date: date, doc: id, number: n))
            }
            for symbol in Set(p.citedSymbols.map(Folding.symbol)) {
                try txn.put(schema.refs, key: symbol, value: Keys.paragraph(id, n), flags: .noDuplicateData)
            }
        }
        try addPhrases(doc, id: id)
        try addToCounter("text_bytes", Int64(record.textBytes))
        try addToCounter("paragraphs", Int64(doc.paragraphs.count))
    }

    /// The stored records of `doc`'s paragraphs, paragraph 1 first.
    private func paragraphRecords(_ doc: Document, id: UInt32, speakers: [Verbatim_V1_SpeakerRef]) throws -> [[UInt8]] {
        try doc.paragraphs.map { p in
            try RecordBuilder.paragraph(p, of: doc, documentID: id, speakers: speakers).serializedBytes()
        }
    }

    /// Finds or creates the speaker entity and counts this document's use of it.
    private func addSpeaker(_ s: Speaker, paragraphs: Int) throws -> UInt32 {
        let identity = s.identity
        var record: SpeakerRecord
        if let sid = try txn.get(schema.speakerIDs, key: identity, { Keys.u32($0) }),
            let existing = try txn.get(schema.speakers, key: Keys.id(sid), { try SpeakerRecord(span: $0) })
        {
            record = existing
        } else {
            record = SpeakerRecord()
            record.id = try nextCounter("next_speaker_id")
            record.name = s.name
            record.role = s.role ?? ""
            record.affiliation = s.affiliation ?? ""
            record.roleOnly = s.isRoleOnly
            record.identity = identity
            try txn.put(schema.speakerIDs, key: identity, value: Keys.id(record.id))
            try txn.put(schema.speakerNames, key: Folding.name(s.name), value: Keys.id(record.id), flags: .noDuplicateData)
        }
        record.documentCount += 1
        record.paragraphCount += UInt32(paragraphs)
        for alias in RecordBuilder.aliases(of: s) {
            if let i = record.aliases.firstIndex(where: { $0.text == alias }) {
                record.aliases[i].documents += 1
            } else {
                var a = Verbatim_V1_Alias()
                a.text = alias
                a.documents = 1
                record.aliases.append(a)
                try txn.put(schema.speakerNames, key: Folding.name(alias), value: Keys.id(record.id), flags: .noDuplicateData)
            }
        }
        try txn.put(schema.speakers, key: Keys.id(record.id), value: try record.serializedBytes() as [UInt8])
        return record.id
    }

    // MARK: Unchanged

    /// True when the stored document `id` has exactly the records `doc` would produce.
    private func isUnchanged(_ doc: Document, id: UInt32, hash: UInt64) throws -> Bool {
        guard let old = try txn.get(schema.docs, key: Keys.id(id), { try DocumentRecord(span: $0) }),
            old.contentHash == hash, old.paragraphCount == doc.paragraphs.count,
            old.speakers.count == doc.speakers.count
        else { return false }
        var refs: [Verbatim_V1_SpeakerRef] = []
        for (i, s) in doc.speakers.enumerated() {
            guard let sid = try txn.get(schema.speakerIDs, key: s.identity, { Keys.u32($0) }),
                sid == old.speakers[i].speakerID
            else { return false }
            refs.append(RecordBuilder.speakerRef(s, id: sid))
        }
        var expected = RecordBuilder.document(doc, id: id, hash: hash, speakers: old.speakers)
        expected.source = old.source
        expected.ingestedAt = old.ingestedAt
        guard expected == old else { return false }
        let value = ParagraphTable.encode(try paragraphRecords(doc, id: id, speakers: refs))
        let same = try txn.get(schema.paras, key: Keys.id(id)) { stored in
            stored.withUnsafeBytes { $0.elementsEqual(value) }
        }
        return same == true
    }

    // MARK: Removing

    /// Removes document `id`, its paragraphs and every index entry that points at it.
    func remove(documentID id: UInt32) throws {
        guard let doc = try txn.get(schema.docs, key: Keys.id(id), { try DocumentRecord(span: $0) }) else {
            throw StoreError(.notFound, "no document with id \(id)")
        }
        let paragraphs = try storedParagraphs(documentID: id)
        try removePhrases(documentID: id, paragraphCount: doc.paragraphCount, paragraphs: paragraphs)
        var perSpeaker: [UInt32: Int] = [:]
        for p in paragraphs {
            if p.hasSpeaker {
                perSpeaker[p.speaker.id, default: 0] += 1
                try txn.delete(
                    schema.speakerParas, key: Keys.id(p.speaker.id),
                    value: Keys.speakerPosting(date: p.date, doc: id, number: p.number))
            }
            for symbol in Set(p.citedSymbols.map(Folding.symbol)) {
                try txn.delete(schema.refs, key: symbol, value: Keys.paragraph(id, p.number))
            }
        }
        try txn.delete(schema.paras, key: Keys.id(id))
        for ds in doc.speakers {
            try releaseSpeaker(ds, paragraphs: perSpeaker[ds.speakerID] ?? 0)
        }
        try txn.delete(schema.docKeys, key: Folding.symbol(doc.key))
        if !doc.symbol.isEmpty { try txn.delete(schema.docKeys, key: Folding.symbol(doc.symbol)) }
        try txn.delete(schema.docs, key: Keys.id(id))
        try addToCounter("text_bytes", -Int64(doc.textBytes))
        try addToCounter("paragraphs", -Int64(paragraphs.count))
    }

    /// The paragraphs stored for document `id`, decoded, paragraph 1 first (none when it
    /// has no `paras` value).
    private func storedParagraphs(documentID id: UInt32) throws -> [ParagraphRecord] {
        try txn.get(schema.paras, key: Keys.id(id)) { value in
            try value.withUnsafeBytes { table in
                guard let n = ParagraphTable.count(table) else { throw ParagraphTable.malformed(id) }
                return n > 0 ? try ParagraphTable.records(1...UInt32(n), in: table, document: id) : []
            }
        } ?? []
    }

    /// Undoes one document's use of a speaker; deletes the speaker when no document uses it.
    private func releaseSpeaker(_ ds: Verbatim_V1_DocumentSpeaker, paragraphs: Int) throws {
        let sid = ds.speakerID
        guard var record = try txn.get(schema.speakers, key: Keys.id(sid), { try SpeakerRecord(span: $0) }) else {
            return
        }
        record.documentCount -= min(record.documentCount, 1)
        record.paragraphCount -= min(record.paragraphCount, UInt32(paragraphs))
        var dropped: [String] = []
        for alias in ds.aliases {
            guard let i = record.aliases.firstIndex(where: { $0.text == alias }) else { continue }
            record.aliases[i].documents -= 1
            if record.aliases[i].documents == 0 {
                dropped.append(alias)
                record.aliases.remove(at: i)
            }
        }
        if record.documentCount == 0 {
            let names = Set([record.name] + record.aliases.map(\.text) + dropped).map(Folding.name)
            for n in Set(names) { try txn.delete(schema.speakerNames, key: n, value: Keys.id(sid)) }
            try txn.delete(schema.speakerIDs, key: record.identity)
            try txn.delete(schema.speakers, key: Keys.id(sid))
            return
        }
        let kept = Set(([record.name] + record.aliases.map(\.text)).map(Folding.name))
        for n in Set(dropped.map(Folding.name)) where !kept.contains(n) {
            try txn.delete(schema.speakerNames, key: n, value: Keys.id(sid))
        }
        try txn.put(schema.speakers, key: Keys.id(sid), value: try record.serializedBytes() as [UInt8])
    }

    // MARK: Counters

    private func nextCounter(_ name: String) throws -> UInt32 {
        let next = try txn.get(schema.meta, key: name) { Keys.u32($0) } ?? 1
        try txn.put(schema.meta, key: name, value: BigEndianKey(next + 1))
        return next
    }

    private func addToCounter(_ name: String, _ delta: Int64) throws {
        let current = try txn.get(schema.meta, key: name) { Keys.u64($0) } ?? 0
        let next = UInt64(max(0, Int64(current) + delta))
        try txn.put(schema.meta, key: name, value: BigEndianKey(next))
    }
}

extension Store {
    /// Why `document` cannot be stored, checked before anything is written: it has no
    /// paragraphs, or they are not numbered 1, 2, 3, … in order (a paragraph's phrase-index
    /// ordinal is its document's first plus its number minus 1). Nil when it can be.
    static func invalid(_ document: Document) -> StoreError? {
        guard !document.paragraphs.isEmpty else {
            return StoreError(.invalidArgument, "document \"\(document.key)\" has no paragraphs")
        }
        for (i, p) in document.paragraphs.enumerated() where p.number != i + 1 {
            return StoreError(
                .invalidArgument,
                "paragraph \(i + 1) of \(document.key) is numbered \(p.number): paragraphs are numbered 1, 2, 3, …")
        }
        return nil
    }
}
