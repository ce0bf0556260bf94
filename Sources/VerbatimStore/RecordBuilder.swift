import VerbatimModel
import VerbatimProtocol

/// Turns a parsed `Document` into the records the store keeps. Deterministic: the same
/// document and ids give the same bytes, which is how an unchanged re-ingest is detected.
enum RecordBuilder {
    static func speakerRef(_ s: Speaker, id: UInt32) -> Verbatim_V1_SpeakerRef {
        var r = Verbatim_V1_SpeakerRef()
        r.id = id
        r.name = s.name
        r.role = s.role ?? ""
        r.affiliation = s.affiliation ?? ""
        r.roleOnly = s.isRoleOnly
        return r
    }

    /// The forms of a speaker's name seen in a document, the canonical name first, without repeats.
    static func aliases(of s: Speaker) -> [String] {
        var seen = Set<String>()
        return ([s.name] + s.aliases).filter { seen.insert($0).inserted }
    }

    static func document(
        _ doc: Document, id: UInt32, hash: UInt64, speakers: [Verbatim_V1_DocumentSpeaker]
    ) -> DocumentRecord {
        var r = DocumentRecord()
        r.id = id
        r.key = doc.key
        r.symbol = doc.symbol ?? ""
        r.title = doc.title ?? ""
        r.date = doc.date?.packed ?? 0
        r.place = doc.place ?? ""
        r.kind = doc.kind.rawValue
        r.headerLines = doc.headerLines
        r.headings = doc.headings
        r.paragraphCount = UInt32(doc.paragraphs.count)
        r.speakers = speakers
        var seen = Set<String>()
        r.citedSymbols = doc.paragraphs.flatMap(\.citedSymbols).filter { seen.insert(Folding.symbol($0)).inserted }
        r.textBytes = UInt64(doc.paragraphs.reduce(0) { $0 + $1.text.utf8.count })
        r.contentHash = hash
        return r
    }

    static func paragraph(
        _ p: Paragraph, of doc: Document, documentID: UInt32, speakers: [Verbatim_V1_SpeakerRef]
    ) -> ParagraphRecord {
        var r = ParagraphRecord()
        r.documentID = documentID
        r.documentKey = doc.key
        r.symbol = doc.symbol ?? ""
        r.number = UInt32(p.number)
        r.text = p.text
        r.heading = p.heading ?? ""
        if let s = p.speaker { r.speaker = speakers[s] }
        r.attribution = p.attribution.rawValue
        r.citation = doc.shortCitation(paragraph: p.number)
        r.date = doc.date?.packed ?? 0
        r.citedSymbols = p.citedSymbols
        r.quotes = p.quotes.map { q in
            var t = Verbatim_V1_TextRange()
            t.start = UInt32(q.lowerBound)
            t.end = UInt32(q.upperBound)
            return t
        }
        r.sourceNumber = UInt32(p.sourceNumber ?? 0)
        return r
    }
}
