import VerbatimModel
import VerbatimProtocol

/// Encodes stored paragraphs as the citation answers carry them: a `Paragraph` message
/// (`records.proto`) that is the stored record's bytes with the long citation appended as
/// `long_citation` (field 14). Nothing is decoded when the citation's parts need only
/// copying (`Citation.writeLong`); else the record is decoded and the citation made from
/// parts shared by the paragraphs of one document or speaker, made once per encoder (the
/// same text either way: docs/CITATIONS.md §20).
struct CitedParagraphEncoder {
    /// The document a paragraph is cited in: its id, name (symbol, else key), title and
    /// packed date, as UTF-8 bytes.
    struct Document {
        var id: UInt32
        var name: UnsafeRawBufferPointer
        var title: UnsafeRawBufferPointer
        var date: UInt32
    }

    /// Long citations' parts: per document (`Citation.longHead`), per speaker (`Citation.longSpeaker`).
    private var heads: [UInt32: String] = [:]
    private var speakerParts: [UInt32: (ref: Verbatim_V1_SpeakerRef, who: String?)] = [:]

    /// `record`, a stored paragraph whose fields are `fields`, with its long citation in
    /// `document` appended. - Throws: `.corrupt` when the record must be decoded and does not.
    mutating func encode(_ fields: ParagraphFields, record: UnsafeRawBufferPointer, in document: Document) throws
        -> [UInt8]
    {
        func part(_ r: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: record[r]) }
        let (name, role, affiliation) = (part(fields.name), part(fields.role), part(fields.affiliation))
        if let capacity = Citation.longCapacity(
            name: name, role: role, affiliation: affiliation, document: document.name, title: document.title)
        {
            return Self.encode(record: record, citationCapacity: capacity) { out in
                Citation.writeLong(
                    name: name, role: role, affiliation: affiliation, document: document.name, title: document.title,
                    date: DocumentDate(packed: document.date), paragraph: Int(fields.number), to: out)
            }
        }
        var long = try longCitation(record: record, in: document)
        return long.withUTF8 { c in
            Self.encode(record: record, citationCapacity: c.count) { out in
                if let from = c.baseAddress { out.update(from: from, count: c.count) }
                return c.count
            }
        }
    }

    /// The long citation of a stored paragraph whose parts need trimming or name folding.
    private mutating func longCitation(record: UnsafeRawBufferPointer, in document: Document) throws -> String {
        let date = DocumentDate(packed: document.date)
        let p = try ParagraphRecord(stored: record)
        let ref = p.speaker
        let id = document.id
        let head: String
        if let h = heads[id] {
            head = h
        } else {
            let name = String(decoding: document.name, as: UTF8.self)
            head =
                Citation.longHead(document: name, titleUTF8: document.title, date: date)
                ?? Citation.longHead(document: name, title: String(decoding: document.title, as: UTF8.self), date: date)
            heads[id] = head
        }
        var who: String? = nil
        if p.hasSpeaker {
            if let w = speakerParts[ref.id], w.ref == ref {
                who = w.who
            } else {
                who = Citation.longSpeaker(Snapshot.speaker(ref))
                speakerParts[ref.id] = (ref, who)
            }
        }
        let n = Int(p.number)
        return Citation.long(head: head, paragraphs: n...n, who: who)
    }

    /// The long citation that `encode` appended to a record of `recordLength` bytes.
    static func longCitation(of encoded: [UInt8], recordLength: Int) -> String {
        encoded.withUnsafeBytes { b in
            var r = ProtoReader(UnsafeRawBufferPointer(rebasing: b[recordLength...]))
            _ = r.tag()
            return r.bytes().map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    /// `record` (a stored paragraph) followed by `long_citation` (field 14), of at most
    /// `capacity` bytes, which `write` writes at the pointer it gets. - Returns: the bytes.
    static func encode(
        record: UnsafeRawBufferPointer, citationCapacity capacity: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int
    ) -> [UInt8] {
        func size(_ n: Int) -> Int { n < 1 << 7 ? 1 : n < 1 << 14 ? 2 : n < 1 << 21 ? 3 : 5 }
        let room = size(capacity)
        return [UInt8](unsafeUninitializedCapacity: record.count + 1 + room + capacity) { out, count in
            let base = out.baseAddress!
            if record.count > 0 { UnsafeMutableRawPointer(base).copyMemory(from: record.baseAddress!, byteCount: record.count) }
            var i = record.count
            base[i] = 14 << 3 | 2
            i += 1
            let n = write(base + i + room)
            // The length's varint takes fewer bytes than the room left for it: close the gap.
            if size(n) < room { (base + i + size(n)).update(from: base + i + room, count: n) }
            var v = n
            while v >= 0x80 {
                base[i] = UInt8(truncatingIfNeeded: v) | 0x80
                v >>= 7
                i += 1
            }
            base[i] = UInt8(v)
            count = i + 1 + n
        }
    }
}
