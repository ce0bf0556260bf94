import LMDB

/// The named databases of a store and the encodings of their keys (docs/OPERATIONS.md).
///
/// | database | key | value |
/// | --- | --- | --- |
/// | `meta` | name | counters, schema version |
/// | `docs` | doc id (u32 BE) | `verbatim.v1.Document` |
/// | `doc_keys` | folded key or symbol | doc id (u32 BE) |
/// | `paras` | doc id (u32 BE) | the document's paragraphs: `ParagraphTable` of `verbatim.v1.Paragraph` |
/// | `speakers` | speaker id (u32 BE) | `verbatim.v1.Speaker` |
/// | `speaker_ids` | identity | speaker id |
/// | `speaker_names` | folded name or alias | speaker ids (dup-sorted) |
/// | `speaker_paras` | speaker id | date, doc id, number (12 bytes, dup-sorted: date order) |
/// | `refs` | folded cited symbol | doc id, number (8 bytes, dup-sorted) |
/// | `phrases` | word-pair bucket (u32 BE) | paragraph ordinal << 8 \| pair mask (u32 BE, dup-sorted, fixed) |
/// | `phrase_docs` | doc id (u32 BE) | first paragraph ordinal (u32 BE) |
/// | `phrase_spans` | last paragraph ordinal of a document (u32 BE) | `PhraseSpan`: doc id, first ordinal, date, the name and title its citations use |
///
/// The phrase index (`phrases`, `phrase_docs`, `phrase_spans`) is described in
/// `PhraseIndex.swift` and docs/CITATIONS.md. Version 2 added it; version 3 added the
/// pair mask (word positions and gaps) to its values; version 4 gave the mask the gaps
/// and the word after each pair instead of positions; version 5 replaced the map from
/// each ordinal to its paragraph (`phrase_paras`) by one entry per document
/// (`phrase_spans`), which also holds what a long citation needs of the document;
/// version 6 chose the word after each pair by 2 bits of 6 instead of 1 of 4, and dropped
/// the bits for one space; version 7 lists pairs ending with `the` a second time, by the
/// word after them; version 8 stores a document's paragraphs in one `paras` value
/// (`ParagraphTable`) instead of one value per paragraph, and counts them in `meta`.
///
/// A class: every snapshot holds the store's schema, and copying a reference is one
/// retain where copying twelve database names was twelve.
final class Schema: Sendable {
    static let version: UInt32 = 8

    let meta: Database
    let docs: Database
    let docKeys: Database
    let paras: Database
    let speakers: Database
    let speakerIDs: Database
    let speakerNames: Database
    let speakerParas: Database
    let refs: Database
    let phrases: Database
    let phraseDocs: Database
    let phraseSpans: Database

    static let names = [
        "meta", "docs", "doc_keys", "paras", "speakers", "speaker_ids", "speaker_names", "speaker_paras", "refs",
        "phrases", "phrase_docs", "phrase_spans",
    ]

    init(env: Environment, create: Bool) throws(LMDBError) {
        meta = try env.openDatabase("meta", create: create)
        docs = try env.openDatabase("docs", create: create)
        docKeys = try env.openDatabase("doc_keys", create: create)
        paras = try env.openDatabase("paras", create: create)
        speakers = try env.openDatabase("speakers", create: create)
        speakerIDs = try env.openDatabase("speaker_ids", create: create)
        speakerNames = try env.openDatabase("speaker_names", flags: [.duplicateSort, .duplicateFixed], create: create)
        speakerParas = try env.openDatabase("speaker_paras", flags: [.duplicateSort, .duplicateFixed], create: create)
        refs = try env.openDatabase("refs", flags: [.duplicateSort, .duplicateFixed], create: create)
        phrases = try env.openDatabase("phrases", flags: [.duplicateSort, .duplicateFixed], create: create)
        phraseDocs = try env.openDatabase("phrase_docs", create: create)
        phraseSpans = try env.openDatabase("phrase_spans", create: create)
    }

    var all: [Database] {
        [meta, docs, docKeys, paras, speakers, speakerIDs, speakerNames, speakerParas, refs, phrases, phraseDocs, phraseSpans]
    }
}

/// Fixed-width big-endian keys and values.
enum Keys {
    /// (doc id, paragraph number) as 8 bytes, big-endian: sorts by document, then number
    /// (the values of `refs`).
    @inline(__always)
    static func paragraph(_ doc: UInt32, _ number: UInt32) -> BigEndianKey<UInt64> {
        BigEndianKey(UInt64(doc) << 32 | UInt64(number))
    }

    static func id(_ id: UInt32) -> BigEndianKey<UInt32> { BigEndianKey(id) }

    /// A speaker_paras value: date, doc id, number.
    static func speakerPosting(date: UInt32, doc: UInt32, number: UInt32) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(12)
        for v in [date, doc, number] { withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) } }
        return out
    }

    static func u32(_ span: RawSpan, at offset: Int = 0) -> UInt32 {
        span.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    static func u64(_ span: RawSpan) -> UInt64 {
        span.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }
}
