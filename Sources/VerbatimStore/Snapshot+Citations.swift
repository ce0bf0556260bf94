import LMDB
import SwiftProtobuf
import VerbatimModel

/// The answer to a reference (`Snapshot.resolve`).
public struct Resolution: Sendable {
    /// The document referred to.
    public var document: DocumentRecord
    /// The paragraphs referred to (all of them for a document reference), each with its
    /// short `citation` and its `longCitation` filled in.
    public var paragraphs: [ParagraphRecord]
    /// The canonical short citation of what was referred to: `L/3282`, `L/3282 ¶12`, `L/3282 ¶¶3-5`.
    public var citation: String
    /// The long citation of what was referred to (see `Citation.long`).
    public var longCitation: String
}

/// The answer to a reference with its paragraphs encoded (`Snapshot.resolveEncoded`), as
/// ResolveCitation sends them.
public struct EncodedResolution: Sendable {
    /// The document referred to: its stored record (an encoded `Document` message).
    public var document: [UInt8]
    /// The paragraphs referred to, each an encoded `Paragraph` message: its stored record
    /// with its long citation appended as `long_citation` (field 14), not decoded.
    public var paragraphs: [[UInt8]]
    /// As `Resolution.citation`.
    public var citation: String
    /// As `Resolution.longCitation`.
    public var longCitation: String
}

/// A paragraph that cites a symbol (`Snapshot.citedBy`).
public struct CitedBy: Sendable {
    /// The cited symbol, as asked (trimmed).
    public var symbol: String
    /// The cited document, when it is in the store.
    public var document: DocumentRecord?
    /// The citing paragraphs, in store order, with citations filled in.
    public var citing: [ParagraphRecord]
}

/// The paragraphs that cite a symbol, encoded (`Snapshot.citedByEncoded`), as CitedBy
/// sends them.
public struct EncodedCitedBy: Sendable {
    /// As `CitedBy.symbol`.
    public var symbol: String
    /// The cited document's stored record (an encoded `Document` message), when it is in
    /// the store.
    public var document: [UInt8]?
    /// The citing paragraphs, in store order, each an encoded `Paragraph` message: its
    /// stored record with its long citation appended as `long_citation` (field 14).
    public var citing: [[UInt8]]
}

/// A quotation as `Snapshot.quotationsEncoded` finds it: as `SpeakerQuotation`, with the
/// paragraph encoded as SpeakerQuotations sends it.
public struct EncodedSpeakerQuotation: Sendable {
    /// An encoded `Paragraph` message: the stored record with its long citation appended as
    /// `long_citation` (field 14).
    public var paragraph: [UInt8]
    public var range: Range<Int>
    public var text: String
    public var rule: SpeakerQuotation.Rule
}

/// One symbol a document cites (`Snapshot.references`).
public struct DocumentReference: Sendable, Hashable {
    /// The symbol as first written in the document, dashes unified (`GA/12035`).
    public var symbol: String
    /// The paragraphs that mention it, in order.
    public var paragraphs: [Int]
    /// The short citations of those paragraphs.
    public var citations: [String]
    /// The key of the cited document when it is in the store.
    public var documentKey: String?
}

/// A quoted passage attributed to a speaker inside a paragraph (`Snapshot.quotations`).
public struct SpeakerQuotation: Sendable {
    /// Why it is attributed (docs/CITATIONS.md, "Quotations of a speaker").
    public enum Rule: String, Sendable, Hashable {
        /// The paragraph reports the speaker (`attribution` is `reported`) and quotes them.
        case reported
        /// The paragraph is another speaker's or nobody's, and names this speaker and no other.
        case named
    }

    public var paragraph: ParagraphRecord
    /// The quoted passage: Unicode scalar offsets into `paragraph.text`, marks excluded.
    public var range: Range<Int>
    /// The quoted text.
    public var text: String
    public var rule: Rule
}

extension Snapshot {
    // MARK: Citations

    /// The long citation of a stored paragraph (`Citation.long`); `document` is read when nil.
    public func longCitation(_ p: ParagraphRecord) throws -> String {
        Self.longCitation(p, document: try document(id: p.documentID))
    }

    static func longCitation(_ p: ParagraphRecord, document: DocumentRecord?) -> String {
        longCitation(p, title: document.map(\.title))
    }

    /// The long citation of `p` in a document of title `title` (nil: no document).
    static func longCitation(_ p: ParagraphRecord, title: String?) -> String {
        Citation.long(
            document: p.symbol.isEmpty ? p.documentKey : p.symbol,
            title: title, date: DocumentDate(packed: p.date),
            paragraphs: Int(p.number)...Int(p.number), speaker: p.hasSpeaker ? Self.speaker(p.speaker) : nil)
    }

    static func speaker(_ r: Verbatim_V1_SpeakerRef) -> Speaker {
        Speaker(
            name: r.name, role: r.role.isEmpty ? nil : r.role, affiliation: r.affiliation.isEmpty ? nil : r.affiliation,
            isRoleOnly: r.roleOnly)
    }

    /// `p` with its long citation filled in.
    func cited(_ p: ParagraphRecord, _ document: DocumentRecord?) -> ParagraphRecord {
        var p = p
        p.longCitation = Self.longCitation(p, document: document)
        return p
    }

    // MARK: References

    /// Parses and resolves a reference (`L/3282 ¶12`, `L/3282 paras 3–5`, `UNGDC:USA_78_2023#4`).
    /// - Throws: `StoreError.invalidArgument` for a reference that does not parse (the
    ///   `ReferenceError` message, e.g. `range 5-3 is reversed`); `.notFound` for an
    ///   unknown document (`unknown document "L/9999"`) or a paragraph past the end
    ///   (`paragraph 40 is past the end of L/3282 (23 paragraphs)`).
    public func resolve(_ reference: String) throws -> Resolution {
        try resolve(Self.parse(reference))
    }

    /// A reference parsed; `.invalidArgument` with the `ReferenceError` message when it does not.
    private static func parse(_ reference: String) throws -> Reference {
        do { return try Reference(parsing: reference) } catch {
            throw StoreError(.invalidArgument, error.message)
        }
    }

    /// Resolves a parsed reference (see `resolve(_: String)`).
    public func resolve(_ reference: Reference) throws -> Resolution {
        let r = try resolveEncoded(reference)
        let paragraphs = try r.paragraphs.map { bytes in try bytes.withUnsafeBytes { try ParagraphRecord(stored: $0) } }
        return Resolution(
            document: try DocumentRecord(serializedBytes: r.document), paragraphs: paragraphs, citation: r.citation,
            longCitation: r.longCitation)
    }

    /// Resolves a reference as `resolve(_: String)` does, with the paragraphs encoded
    /// (`CitedParagraphEncoder`): read, copied once and cited, not decoded.
    public func resolveEncoded(_ reference: String) throws -> EncodedResolution {
        try resolveEncoded(Self.parse(reference))
    }

    /// Resolves a parsed reference (see `resolveEncoded(_: String)`).
    public func resolveEncoded(_ reference: Reference) throws -> EncodedResolution {
        guard let id = try documentID(reference.document),
            let resolved = try withDocumentBytes(id: id, { span in
                try span.withUnsafeBytes { try resolveEncoded(reference, document: $0, id: id) }
            })
        else {
            throw StoreError(.notFound, "unknown document \"\(reference.document)\"")
        }
        return resolved
    }

    /// `resolveEncoded(_: Reference)` in document `id`, whose stored record is `record`.
    private func resolveEncoded(_ reference: Reference, document record: UnsafeRawBufferPointer, id: UInt32) throws
        -> EncodedResolution
    {
        guard let doc = DocumentFields(record) else { throw StoreError(.corrupt, "document \(id) does not decode") }
        func part(_ r: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: record[r]) }
        let name = String(decoding: part(doc.name), as: UTF8.self)
        let cited = CitedParagraphEncoder.Document(id: id, name: part(doc.name), title: part(doc.title), date: doc.date)
        var encoder = CitedParagraphEncoder()
        var paragraphs: [[UInt8]] = []
        // One paragraph named: the reference's long citation is the paragraph's.
        var single: String? = nil
        try forEachParagraphRecord(id: id, name: name, count: doc.paragraphCount, range: reference.paragraphs) {
            number, bytes in
            guard let fields = ParagraphFields(bytes) else {
                throw StoreError(.corrupt, "paragraph \(number) of document \(id) does not decode")
            }
            let encoded = try encoder.encode(fields, record: bytes, in: cited)
            if reference.paragraphs?.count == 1 {
                single = CitedParagraphEncoder.longCitation(of: encoded, recordLength: bytes.count)
            }
            paragraphs.append(encoded)
        }
        let citation = reference.paragraphs.map { Citation.short(document: name, paragraphs: $0) } ?? name
        let long =
            single
            ?? Citation.long(
                document: name, title: String(decoding: part(doc.title), as: UTF8.self),
                date: DocumentDate(packed: doc.date), paragraphs: reference.paragraphs, speaker: nil)
        return EncodedResolution(document: Array(record), paragraphs: paragraphs, citation: citation, longCitation: long)
    }

    // MARK: Cross-references

    /// An index or record naming something that is not stored: answers fail with it rather
    /// than leave the entry out (`refs lists paragraph 9 of document 1 as citing GA/88888,
    /// which is not stored`).
    static func notStored(_ lister: String, _ what: String, _ role: String) -> StoreError {
        StoreError(.corrupt, "\(lister) lists \(what) \(role), which is not stored")
    }

    /// The paragraphs that mention `symbol` (`GA/12035`, `resolution 2374 (2017)`), whether
    /// or not the cited document is in the store.
    public func citedBy(_ symbol: String, limit: Int = .max) throws -> CitedBy {
        let found = try citedByEncoded(symbol, limit: limit)
        let citing = try found.citing.map { bytes in try bytes.withUnsafeBytes { try ParagraphRecord(stored: $0) } }
        return CitedBy(
            symbol: found.symbol, document: try found.document.map { try DocumentRecord(serializedBytes: $0) },
            citing: citing)
    }

    /// The paragraphs that mention `symbol`, as `citedBy` finds them, encoded
    /// (`CitedParagraphEncoder`): read, copied once and cited, not decoded.
    /// - Throws: `.corrupt` when `refs` names a paragraph, or a paragraph's document, that
    ///   is not stored.
    public func citedByEncoded(_ symbol: String, limit: Int = .max) throws -> EncodedCitedBy {
        var docs: [UInt32: (name: [UInt8], title: [UInt8], date: UInt32)] = [:]
        var encoder = CitedParagraphEncoder()
        var citing: [[UInt8]] = []
        for ref in try citingParagraphs(symbol) {
            if citing.count >= limit { break }
            let id = ref.documentID
            if docs[id] == nil {
                let read = try withDocumentBytes(id: id) { span in
                    try span.withUnsafeBytes { b in
                        guard let d = DocumentFields(b) else { throw StoreError(.corrupt, "document \(id) does not decode") }
                        return (Array(b[d.name]), Array(b[d.title]), d.date)
                    }
                }
                guard let read else {
                    throw Self.notStored("refs", "document \(id)", "as holding paragraph \(ref.number), citing \(symbol)")
                }
                docs[id] = read
            }
            let doc = docs[id]!
            guard let bytes = try paragraphBytes(documentID: id, number: ref.number) else {
                throw Self.notStored("refs", "paragraph \(ref.number) of document \(id)", "as citing \(symbol)")
            }
            guard let fields = ParagraphFields(bytes) else {
                throw StoreError(.corrupt, "paragraph \(ref.number) of document \(id) does not decode")
            }
            try doc.name.withUnsafeBytes { name in
                try doc.title.withUnsafeBytes { title in
                    citing.append(
                        try encoder.encode(fields, record: bytes, in: .init(id: id, name: name, title: title, date: doc.date)))
                }
            }
        }
        let trimmed = ReferenceParser.collapse(symbol)
        let cited = try documentID(trimmed).flatMap { id in try withDocumentBytes(id: id) { Array($0.withUnsafeBytes { $0 }) } }
        return EncodedCitedBy(symbol: trimmed, document: cited, citing: citing)
    }

    /// The symbols document `keyOrSymbol` cites, in order of first mention, each with the
    /// paragraphs that mention it.
    /// - Throws: `StoreError.notFound` for an unknown document.
    public func references(ofDocument keyOrSymbol: String) throws -> [DocumentReference] {
        guard let doc = try document(keyOrSymbol) else {
            throw StoreError(.notFound, "unknown document \"\(keyOrSymbol)\"")
        }
        var order: [String] = []
        var byFolded: [String: DocumentReference] = [:]
        for p in try paragraphs(key: doc.name) {
            for s in p.citedSymbols {
                let f = Folding.symbol(s)
                if byFolded[f] == nil {
                    order.append(f)
                    byFolded[f] = DocumentReference(symbol: s, paragraphs: [], citations: [], documentKey: nil)
                }
                if byFolded[f]!.paragraphs.last != Int(p.number) {
                    byFolded[f]!.paragraphs.append(Int(p.number))
                    byFolded[f]!.citations.append(p.citation)
                }
            }
        }
        return try order.map { f in
            var r = byFolded[f]!
            r.documentKey = try document(f)?.key
            return r
        }
    }

    // MARK: Speakers

    /// Paragraphs attributed to speaker `id`, in date order (then document, number),
    /// filtered by date range (packed `yyyymmdd`) and document, with citations filled in.
    /// - Parameter after: the number of matching paragraphs to skip (paging).
    public func paragraphs(
        bySpeaker id: UInt32, dates: ClosedRange<UInt32>? = nil, document: String? = nil, limit: Int = .max,
        after: Int = 0
    ) throws -> [ParagraphRecord] {
        let refs = try speakerParagraphRefs(bySpeaker: id, dates: dates, document: document, limit: limit, after: after)
        var docs: [UInt32: DocumentRecord] = [:]
        return try refs.map { ref in
            guard let p = try paragraph(documentID: ref.0, number: ref.1) else {
                throw Self.notStored("speaker_paras", "paragraph \(ref.1) of document \(ref.0)", "for speaker \(id)")
            }
            if docs[ref.0] == nil { docs[ref.0] = try self.document(id: ref.0) }
            return cited(p, docs[ref.0])
        }
    }

    /// (document id, number) of the paragraphs `paragraphs(bySpeaker:…)` returns, in its order.
    func speakerParagraphRefs(
        bySpeaker id: UInt32, dates: ClosedRange<UInt32>?, document: String?, limit: Int, after: Int = 0
    ) throws -> [(UInt32, UInt32)] {
        var docID: UInt32? = nil
        if let document {
            guard let d = try documentID(document) else { throw StoreError(.notFound, "unknown document \"\(document)\"") }
            docID = d
        }
        var refs: [(UInt32, UInt32)] = []
        var skipped = 0
        guard limit > 0 else { return [] }
        try txn.forEachDuplicate(schema.speakerParas, key: Keys.id(id)) { v in
            let date = Keys.u32(v, at: 0)
            if let dates {
                if date > dates.upperBound { return false }
                if date < dates.lowerBound { return true }
            }
            let doc = Keys.u32(v, at: 4)
            if let docID, doc != docID { return true }
            if skipped < after {
                skipped += 1
                return true
            }
            refs.append((doc, Keys.u32(v, at: 8)))
            return refs.count < limit
        }
        return refs
    }

    /// Quoted passages attributed to speaker `id` inside paragraphs of the documents the
    /// speaker appears in (docs/CITATIONS.md, "Quotations of a speaker"): the quotes of a
    /// paragraph that reports the speaker (`reported`), and the quotes of another
    /// speaker's or a narration paragraph that names this speaker and no other speaker of
    /// the document (`named`).
    public func quotations(bySpeaker id: UInt32, dates: ClosedRange<UInt32>? = nil, limit: Int = .max) throws
        -> [SpeakerQuotation]
    {
        try quotationsEncoded(bySpeaker: id, dates: dates, limit: limit).map { q in
            let paragraph = try q.paragraph.withUnsafeBytes { try ParagraphRecord(stored: $0) }
            return SpeakerQuotation(paragraph: paragraph, range: q.range, text: q.text, rule: q.rule)
        }
    }

    /// The quotations `quotations(bySpeaker:dates:limit:)` finds, each paragraph encoded
    /// (`CitedParagraphEncoder`): its stored bytes, copied once and cited, not encoded again.
    public func quotationsEncoded(bySpeaker id: UInt32, dates: ClosedRange<UInt32>? = nil, limit: Int = .max) throws
        -> [EncodedSpeakerQuotation]
    {
        guard let me = try speaker(id: id) else { throw StoreError(.notFound, "no speaker with id \(id)") }
        var docIDs: [UInt32] = []
        var seen = Set<UInt32>()
        try txn.forEachDuplicate(schema.speakerParas, key: Keys.id(id)) { v in
            let date = Keys.u32(v, at: 0)
            if let dates {
                if date > dates.upperBound { return false }
                if date < dates.lowerBound { return true }
            }
            let doc = Keys.u32(v, at: 4)
            if seen.insert(doc).inserted { docIDs.append(doc) }
            return true
        }
        var out: [EncodedSpeakerQuotation] = []
        var encoder = CitedParagraphEncoder()
        for docID in docIDs where out.count < limit {
            guard let doc = try document(id: docID) else {
                throw Self.notStored("speaker_paras", "document \(docID)", "for speaker \(id)")
            }
            // Name forms of each speaker of the document, folded, two words or more or a
            // title and surname (`mr guterres`): a lone surname is too weak a signal.
            var forms: [UInt32: [String]] = [:]
            for ds in doc.speakers {
                guard let s = try speaker(id: ds.speakerID) else {
                    throw Self.notStored("document \(doc.name)", "speaker \(ds.speakerID)", "among its speakers")
                }
                let names = ([s.name] + ds.aliases).map(Folding.name).filter { $0.contains(" ") }
                forms[ds.speakerID] = Array(Set(names))
            }
            let mine = forms[id] ?? [Folding.name(me.name)]
            _ = try withDocumentBytes(id: docID) { span in
                try span.withUnsafeBytes { record in
                    guard let fields = DocumentFields(record) else {
                        throw StoreError(.corrupt, "document \(docID) does not decode")
                    }
                    func part(_ r: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: record[r]) }
                    let cited = CitedParagraphEncoder.Document(
                        id: docID, name: part(fields.name), title: part(fields.title), date: fields.date)
                    try forEachParagraphRecord(id: docID, name: doc.name, count: doc.paragraphCount, range: nil) {
                        number, bytes in
                        guard out.count < limit else { return }
                        let p = try ParagraphRecord(stored: bytes)
                        guard !p.quotes.isEmpty else { return }
                        let rule: SpeakerQuotation.Rule
                        if p.hasSpeaker && p.speaker.id == id {
                            guard p.attribution == "reported" else { return }
                            rule = .reported
                        } else {
                            let folded = " " + Folding.name(p.text) + " "
                            func names(_ list: [String]) -> Bool { list.contains { folded.contains(" " + $0 + " ") } }
                            guard names(mine) else { return }
                            if forms.contains(where: { $0.key != id && names($0.value) }) { return }
                            rule = .named
                        }
                        guard let paragraphFields = ParagraphFields(bytes) else {
                            throw StoreError(.corrupt, "paragraph \(number) of document \(docID) does not decode")
                        }
                        let encoded = try encoder.encode(paragraphFields, record: bytes, in: cited)
                        let scalars = Array(p.text.unicodeScalars)
                        for q in p.quotes where q.end > q.start && Int(q.end) <= scalars.count {
                            var text = String.UnicodeScalarView()
                            text.append(contentsOf: scalars[Int(q.start)..<Int(q.end)])
                            out.append(
                                EncodedSpeakerQuotation(
                                    paragraph: encoded, range: Int(q.start)..<Int(q.end), text: String(text), rule: rule))
                            if out.count >= limit { return }
                        }
                    }
                }
            }
        }
        return out
    }
}
