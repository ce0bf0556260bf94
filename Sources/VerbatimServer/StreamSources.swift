import NIOCore
import SwiftProtobuf
import VerbatimStore

/// The items of a server-streaming call, produced one at a time on the event loop.
protocol StreamSource: AnyObject {
    /// Writes the next item's message bytes into `buffer` (after a frame header the caller
    /// wrote). - Returns: whether more items follow; when false and nothing was written, the
    /// stream had no further item.
    func next(into buffer: inout ByteBuffer) throws -> Bool
}

/// StreamDocument: the stored paragraph bytes, copied once from the map into the frame.
/// Each paragraph is read in its own snapshot, after checking that the document is still
/// the version the stream started on (its stored record, compared byte for byte; no
/// decoding per paragraph): a document replaced or deleted
/// mid-stream ends the stream with ABORTED, never a mix of two versions.
final class DocumentSource: StreamSource {
    let store: Store
    let documentID: UInt32
    /// The document's stored record when the stream began.
    let record: [UInt8]
    var number: UInt32
    let last: UInt32
    let name: String

    init(store: Store, request: Verbatim_V1_StreamDocumentRequest) throws {
        self.store = store
        let found = try store.read { (snap: borrowing Snapshot) throws -> (DocumentRecord, [UInt8])? in
            guard let doc = try snap.document(request.document),
                let bytes = try snap.withDocumentBytes(id: doc.id, { $0.withUnsafeBytes { [UInt8]($0) } })
            else { return nil }
            return (doc, bytes)
        }
        guard let (doc, record) = found else {
            throw StoreError(.notFound, "unknown document \"\(request.document)\"")
        }
        documentID = doc.id
        self.record = record
        name = doc.name
        let count = doc.paragraphCount
        number = max(request.first, 1)
        last = request.last == 0 ? count : request.last
        guard number <= last else {
            throw StoreError(.invalidArgument, "paragraph range \(number)-\(last) is reversed")
        }
        guard last <= count else { throw Snapshot.pastTheEnd(Int(last), of: doc) }
    }

    func next(into buffer: inout ByteBuffer) throws -> Bool {
        guard number <= last else { return false }
        let found: Void? = try store.read { (snap: borrowing Snapshot) throws -> Void? in
            let same = try snap.withDocumentBytes(id: documentID) { $0.withUnsafeBytes { $0.elementsEqual(record) } }
            guard same == true else { return nil }
            return try snap.withParagraphBytes(documentID: documentID, number: number) { span in
                span.withUnsafeBytes { _ = buffer.writeBytes($0) }
            }
        }
        guard found != nil else {
            throw CallStatus.Aborted(
                message: "\(name) was replaced or deleted during the stream, before paragraph \(number): start it again")
        }
        number += 1
        return number <= last
    }
}

/// SpeakerParagraphs: the speaker's paragraphs, read in one snapshot when the call starts,
/// each one its stored bytes with its long citation appended as field 14 (`long_citation`;
/// no decoding, no re-encoding), kept in one buffer until sent.
final class SpeakerSource: StreamSource {
    private var bytes = ByteBuffer()
    /// How many bytes each paragraph takes in `bytes`, in order.
    private let lengths: [Int]
    private var index = 0

    init(store: Store, request: Verbatim_V1_SpeakerParagraphsRequest) throws {
        let dates = try CitationMethods.dates(from: request.dateFrom, to: request.dateTo)
        var bytes = ByteBuffer()
        var lengths: [Int] = []
        try store.read { snap in
            guard try snap.speaker(id: request.speakerID) != nil else {
                throw StoreError(.notFound, "unknown speaker \(request.speakerID)")
            }
            try snap.withParagraphBytes(
                bySpeaker: request.speakerID, dates: dates, document: request.document.isEmpty ? nil : request.document,
                limit: request.limit == 0 ? .max : Int(request.limit)
            ) { stored, longCitation in
                let start = bytes.writerIndex
                bytes.writeBytes(stored)
                bytes.writeInteger(UInt8(0x72))  // field 14 (long_citation), length-delimited
                Varint.write(longCitation.utf8.count, to: &bytes)
                bytes.writeString(longCitation)
                lengths.append(bytes.writerIndex - start)
            }
        }
        self.bytes = bytes
        self.lengths = lengths
    }

    func next(into buffer: inout ByteBuffer) throws -> Bool {
        guard index < lengths.count, var item = bytes.readSlice(length: lengths[index]) else { return false }
        buffer.writeBuffer(&item)
        index += 1
        return index < lengths.count
    }
}
