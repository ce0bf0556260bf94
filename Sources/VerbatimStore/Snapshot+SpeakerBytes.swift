import SwiftProtobuf
import VerbatimModel
import VerbatimProtocol

extension Snapshot {
    /// The paragraphs of `paragraphs(bySpeaker:…)`, in its order, as the protocol sends them
    /// and without decoding them: `body` gets each one's stored bytes (a serialized
    /// `verbatim.v1.Paragraph`, valid only inside `body`) and its long citation, for the
    /// caller to append as field 14 (`long_citation`). Each document record is decoded once;
    /// of a paragraph only its speaker (field 7) is read, and decoded only when it differs
    /// from the previous paragraph's.
    public func withParagraphBytes(
        bySpeaker id: UInt32, dates: ClosedRange<UInt32>? = nil, document: String? = nil, limit: Int = .max,
        _ body: (_ stored: UnsafeRawBufferPointer, _ longCitation: String) throws -> Void
    ) throws {
        var head: (id: UInt32, text: String)?
        var speakerBytes: [UInt8]?
        var who: String?
        for (docID, number) in try speakerParagraphRefs(bySpeaker: id, dates: dates, document: document, limit: limit) {
            if head?.id != docID {
                guard let doc = try self.document(id: docID) else {
                    throw Self.notStored("speaker_paras", "paragraph \(number) of document \(docID)", "for speaker \(id)")
                }
                let text = Citation.longHead(
                    document: doc.name, title: doc.title, date: DocumentDate(packed: doc.date))
                head = (docID, text)
            }
            let headText = head!.text
            let found: Void? = try withParagraphBytes(documentID: docID, number: number) { span in
                try span.withUnsafeBytes { stored in
                    var field7: Range<Int> = 0..<0
                    guard StoredFields.forEach(stored, { field, _, bytes in if field == 7 { field7 = bytes } }) else {
                        throw StoreError(.corrupt, "paragraph \(number) of document \(docID) does not decode")
                    }
                    let bytes = UnsafeRawBufferPointer(rebasing: stored[field7])
                    if speakerBytes.map({ !$0.elementsEqual(bytes) }) ?? true {
                        speakerBytes = Array(bytes)
                        who =
                            field7.isEmpty
                            ? nil : Citation.longSpeaker(Self.speaker(try Verbatim_V1_SpeakerRef(serializedBytes: Array(bytes))))
                    }
                    try body(stored, Citation.long(head: headText, paragraphs: Int(number)...Int(number), who: who))
                }
            }
            if found == nil {
                throw Self.notStored("speaker_paras", "paragraph \(number) of document \(docID)", "for speaker \(id)")
            }
        }
    }
}
