import LMDB
import SwiftProtobuf
import VerbatimModel
import VerbatimProtocol

/// A consistent view of the store, lent to the body of `Store.read`.
///
/// Decoded records are copies and may be kept; `withParagraphBytes` lends the stored
/// bytes themselves, valid only inside its closure.
public struct Snapshot: ~Copyable {
    let txn: ReadTransaction
    let schema: Schema

    // MARK: Documents

    /// The id of the document whose key or symbol is `keyOrSymbol` (case-insensitive,
    /// dash variants and spacing around `/` ignored).
    public func documentID(_ keyOrSymbol: String) throws -> UInt32? {
        let folded = Folding.symbol(keyOrSymbol)
        guard !folded.isEmpty else { return nil }  // LMDB refuses an empty key (MDB_BAD_VALSIZE)
        return try txn.get(schema.docKeys, key: folded) { Keys.u32($0) }
    }

    /// `documentID(_:)` for a key or symbol given as UTF-8 bytes (a request's field, in
    /// place): ASCII is folded into a stack buffer, with no allocation.
    public func documentID(utf8 bytes: UnsafeRawBufferPointer) throws -> UInt32? {
        let ascii: UInt32?? = try withUnsafeTemporaryAllocation(byteCount: max(bytes.count, 1), alignment: 1) { out in
            guard let n = Folding.asciiSymbol(bytes, into: out) else { return .none }
            guard n > 0 else { return .some(nil) }  // LMDB refuses an empty key
            return .some(try documentID(folded: UnsafeRawBufferPointer(rebasing: out[..<n])))
        }
        if let ascii { return ascii }
        return try documentID(String(decoding: bytes, as: UTF8.self))
    }

    /// The id of the document whose folded key or symbol (`Folding.symbol`, not empty) is `folded`.
    func documentID(folded: UnsafeRawBufferPointer) throws -> UInt32? {
        try txn.get(schema.docKeys, key: folded) { Keys.u32($0) }
    }

    /// The document with id `id`.
    public func document(id: UInt32) throws -> DocumentRecord? {
        try txn.get(schema.docs, key: Keys.id(id)) { try DocumentRecord(span: $0) }
    }

    /// Lends the stored bytes of document `id` (a serialized `verbatim.v1.Document`) to
    /// `body`, in place. - Returns: `body`'s result, or `nil` when there is no such document.
    public func withDocumentBytes<R>(id: UInt32, _ body: (RawSpan) throws -> R) throws -> R? {
        try txn.get(schema.docs, key: Keys.id(id), body)
    }

    /// The document whose key or symbol is `keyOrSymbol`.
    public func document(_ keyOrSymbol: String) throws -> DocumentRecord? {
        guard let id = try documentID(keyOrSymbol) else { return nil }
        return try document(id: id)
    }

    /// Documents in id order (the order they were first ingested), after id `after`.
    public func documents(after: UInt32 = 0, limit: Int = .max) throws -> [DocumentRecord] {
        var out: [DocumentRecord] = []
        guard limit > 0 else { return out }
        try txn.forEach(schema.docs, from: Keys.id(after &+ 1)) { _, value in
            out.append(try DocumentRecord(span: value))
            return out.count < limit
        }
        return out
    }

    /// Lends the stored records (serialized `verbatim.v1.Document`s) of at most `limit`
    /// documents after id `after`, in id order, dated in `dates` (nil: any) and of kind
    /// `kind` (ignoring case; nil: any), to `body`, in place: the date and kind are read
    /// where they are, nothing is decoded or copied.
    /// - Returns: the id of the last document lent when a further document matches, else 0
    ///   (ListDocuments' `next_after_id`).
    /// - Throws: `StoreError.corrupt` for a record that is not a well-formed message.
    public func forEachDocumentRecord(
        after: UInt32, dates: ClosedRange<UInt32>?, kind: String?, limit: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> UInt32 {
        guard limit > 0 else { return 0 }
        let kind = kind?.lowercased()
        var count = 0
        var lastID: UInt32 = 0
        var next: UInt32 = 0
        try txn.forEach(schema.docs, from: Keys.id(after &+ 1)) { key, value in
            try value.withUnsafeBytes { b in
                guard let f = DocumentFields(b) else {
                    throw StoreError(.corrupt, "the record of document \(Keys.u32(key)) is not a well-formed message")
                }
                if let dates, !dates.contains(f.date) { return true }
                if let kind, String(decoding: b[f.kind], as: UTF8.self).lowercased() != kind { return true }
                if count == limit {
                    next = lastID
                    return false
                }
                try body(b)
                count += 1
                lastID = f.id
                return true
            }
        }
        return next
    }

    // MARK: Paragraphs

    /// Lends the stored bytes of paragraph `number` of document `documentID` to `body`:
    /// a serialized `verbatim.v1.Paragraph`, read in place from the map, not copied.
    /// - Returns: `body`'s result, or `nil` when there is no such paragraph.
    public func withParagraphBytes<R>(documentID: UInt32, number: UInt32, _ body: (RawSpan) throws -> R) throws -> R? {
        guard let bytes = try paragraphBytes(documentID: documentID, number: number) else { return nil }
        return try withSpan(bytes, body)
    }

    /// Where paragraph `number` of document `documentID` is in the map: valid while this
    /// snapshot's transaction is (LMDB leaves the pages a reader sees in place).
    func paragraphBytes(documentID: UInt32, number: UInt32) throws -> UnsafeRawBufferPointer? {
        guard let table = try paragraphTable(documentID: documentID) else { return nil }
        return try ParagraphTable.record(number, in: table, document: documentID)
    }

    /// Where the paragraph table of document `documentID` (its `paras` value) is in the
    /// map: valid while this snapshot's transaction is.
    func paragraphTable(documentID: UInt32) throws -> UnsafeRawBufferPointer? {
        try txn.get(schema.paras, key: Keys.id(documentID)) { $0.withUnsafeBytes { $0 } }
    }

    /// Paragraph `number` of document `documentID`, decoded.
    public func paragraph(documentID: UInt32, number: UInt32) throws -> ParagraphRecord? {
        try withParagraphBytes(documentID: documentID, number: number) { try ParagraphRecord(span: $0) }
    }

    /// Paragraph `number` of the document whose key or symbol is `keyOrSymbol`.
    public func paragraph(key keyOrSymbol: String, number: Int) throws -> ParagraphRecord? {
        guard number >= 1, number <= UInt32.max, let id = try documentID(keyOrSymbol) else { return nil }
        return try paragraph(documentID: id, number: UInt32(number))
    }

    /// The error for a paragraph number past the end of a document, worded as everywhere:
    /// `paragraph 40 is past the end of L/3282 (23 paragraphs)`.
    public static func pastTheEnd(_ number: Int, of doc: DocumentRecord) -> StoreError {
        pastTheEnd(number, of: doc.name, count: doc.paragraphCount)
    }

    static func pastTheEnd(_ number: Int, of name: String, count: UInt32) -> StoreError {
        StoreError(.notFound, "paragraph \(number) is past the end of \(name) (\(count) paragraphs)")
    }

    /// Why paragraph `number` of document `id` is not there (read only on a miss): an
    /// unknown document, a number past its end, or (`.corrupt`) one its record counts.
    public func missingParagraph(documentID id: UInt32, number: UInt32) throws -> StoreError {
        guard let doc = try document(id: id) else { return StoreError(.notFound, "unknown document \(id)") }
        if number >= 1 && number <= doc.paragraphCount {
            return StoreError(
                .corrupt, "paragraph \(number) of \(doc.name) is not stored, its record says \(doc.paragraphCount) paragraphs")
        }
        return Self.pastTheEnd(Int(number), of: doc)
    }

    /// Paragraphs `range` of a document, in order; all of them when `range` is nil.
    /// - Throws: `StoreError.notFound` for an unknown document or a range past its end,
    ///   `.invalidArgument` for a range starting below 1.
    public func paragraphs(key keyOrSymbol: String, range: ClosedRange<Int>? = nil) throws -> [ParagraphRecord] {
        guard let doc = try document(keyOrSymbol) else {
            throw StoreError(.notFound, "unknown document \"\(keyOrSymbol)\"")
        }
        var out: [ParagraphRecord] = []
        try forEachParagraphRecord(id: doc.id, name: doc.name, count: doc.paragraphCount, range: range) { _, bytes in
            out.append(try ParagraphRecord(stored: bytes))
        }
        return out
    }

    /// Calls `body` with the number and stored bytes of each paragraph in `range` (all when
    /// nil) of document `id`, named `name`, of `count` paragraphs, in order.
    /// - Throws: as `paragraphs(key:range:)`.
    func forEachParagraphRecord(
        id: UInt32, name: String, count paragraphCount: UInt32, range: ClosedRange<Int>?,
        _ body: (UInt32, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let count = Int(paragraphCount)
        let wanted = range ?? 1...max(count, 1)
        guard wanted.lowerBound >= 1 else {
            throw StoreError(.invalidArgument, "paragraph numbers start at 1, not \(wanted.lowerBound)")
        }
        guard wanted.upperBound <= count else { throw Self.pastTheEnd(wanted.upperBound, of: name, count: paragraphCount) }
        let numbers = UInt32(wanted.lowerBound)...UInt32(wanted.upperBound)
        let found: Void? = try txn.get(schema.paras, key: Keys.id(id)) { value in
            try value.withUnsafeBytes { table in
                try ParagraphTable.forEach(numbers, in: table, document: id) { number, bytes in
                    try body(number, bytes)
                    return true
                }
            }
        }
        guard found != nil else {
            throw StoreError(.corrupt, "\(name) has no paragraphs stored, its record says \(paragraphCount)")
        }
    }

    // MARK: Speakers

    /// The speaker with id `id`.
    public func speaker(id: UInt32) throws -> SpeakerRecord? {
        try txn.get(schema.speakers, key: Keys.id(id)) { try SpeakerRecord(span: $0) }
    }

    /// Lends the stored bytes of speaker `id` (a serialized `verbatim.v1.Speaker`) to
    /// `body`, in place. - Returns: `body`'s result, or `nil` when there is no such speaker.
    public func withSpeakerBytes<R>(id: UInt32, _ body: (RawSpan) throws -> R) throws -> R? {
        try txn.get(schema.speakers, key: Keys.id(id), body)
    }

    /// All speakers in id order.
    public func speakers(limit: Int = .max) throws -> [SpeakerRecord] {
        var out: [SpeakerRecord] = []
        guard limit > 0 else { return out }
        try txn.forEach(schema.speakers) { _, value in
            out.append(try SpeakerRecord(span: value))
            return out.count < limit
        }
        return out
    }

    /// Speakers whose canonical name or an alias matches `name`, ignoring case,
    /// diacritics and full stops (`antonio guterres` finds `António Guterres`).
    /// When no name matches whole, speakers whose names contain every word of `name`.
    /// - Throws: `StoreError.corrupt` when a name lists a speaker that is not stored.
    public func findSpeakers(_ name: String) throws -> [SpeakerRecord] {
        var found: [SpeakerRecord] = []
        try forEachSpeakerRecord(named: name) { found.append(try SpeakerRecord(serializedBytes: $0)) }
        return found
    }

    /// Lends the stored records (serialized `verbatim.v1.Speaker`s) of the speakers
    /// `findSpeakers(_:)` returns, in its order, to `body`, in place, not decoded.
    /// - Throws: as `findSpeakers(_:)`.
    public func forEachSpeakerRecord(named name: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        for id in try findSpeakerIDs(name) {
            guard try withSpeakerBytes(id: id, { span in try span.withUnsafeBytes(body) }) != nil else {
                throw Self.notStored("speaker_names", "speaker \(id)", "for \"\(name)\"")
            }
        }
    }

    private func findSpeakerIDs(_ name: String) throws -> [UInt32] {
        let folded = Folding.name(name)
        guard !folded.isEmpty else { return [] }
        var ids: [UInt32] = []
        try txn.forEachDuplicate(schema.speakerNames, key: folded) { v in
            ids.append(Keys.u32(v))
            return true
        }
        if !ids.isEmpty { return ids }
        let words = folded.split(separator: " ")
        return try speakers().filter { s in
            let names = [Folding.name(s.name)] + s.aliases.map { Folding.name($0.text) }
            return names.contains { n in
                let nameWords = Set(n.split(separator: " "))
                return words.allSatisfy { nameWords.contains($0) }
            }
        }.map(\.id)
    }

    /// Paragraphs that mention the symbol `symbol`, in document and paragraph order.
    public func citingParagraphs(_ symbol: String) throws -> [(documentID: UInt32, number: UInt32)] {
        let key = Folding.symbol(symbol)
        guard !key.isEmpty else { throw StoreError(.invalidArgument, "the symbol to look up is empty") }
        // LMDB keys are at most 511 bytes; no symbol found in text is anywhere near as long.
        guard key.utf8.count <= 511 else { return [] }
        var out: [(UInt32, UInt32)] = []
        try txn.forEachDuplicate(schema.refs, key: key) { v in
            out.append((Keys.u32(v, at: 0), Keys.u32(v, at: 4)))
            return true
        }
        return out.map { (documentID: $0.0, number: $0.1) }
    }

    // MARK: Statistics

    /// A running total kept in `meta` (`paragraphs`, `text_bytes`), 0 when never written.
    func counter(_ name: String) throws -> UInt64 {
        try txn.get(schema.meta, key: name) { Keys.u64($0) } ?? 0
    }

    /// Counts and sizes.
    public func statistics() throws -> StoreStatistics {
        var s = StoreStatistics()
        s.documents = try txn.statistics(schema.docs).entries
        s.paragraphs = Int(try counter("paragraphs"))
        s.speakers = try txn.statistics(schema.speakers).entries
        s.speakerNames = try txn.statistics(schema.speakerNames).entries
        s.citations = try txn.statistics(schema.refs).entries
        s.textBytes = Int(try counter("text_bytes"))
        for (name, db) in zip(Schema.names, schema.all) {
            s.databaseBytes[name] = try txn.statistics(db).bytes
        }
        return s
    }
}

extension Message {
    /// Decodes a message from bytes lent by the store (one copy into the message's fields).
    init(span: RawSpan) throws {
        self = try span.withUnsafeBytes { try Self(serializedBytes: $0) }
    }
}
