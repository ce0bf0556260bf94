import SwiftProtobuf
import LMDB
import VerbatimProtocol

extension Verbatim_V1_Paragraph {
    /// Decodes a paragraph lent by the store (`init(stored:)`).
    init(span: RawSpan) throws {
        self = try span.withUnsafeBytes { try Self(stored: $0) }
    }

    /// Decodes a stored paragraph (`records.proto`) field by field, without SwiftProtobuf's
    /// generic decoder: quote lookup decodes every match, and the generic decoder took half
    /// of a match's time. Gives the message SwiftProtobuf would give: a record with any
    /// field this reader does not expect (an unknown number, another wire type, a repeated
    /// singular message) is handed to SwiftProtobuf whole; text that is not UTF-8 throws,
    /// as there.
    init(stored b: UnsafeRawBufferPointer) throws {
        if let p = Self.decodeStored(b) {
            self = p
        } else {
            self = try Verbatim_V1_Paragraph(serializedBytes: b)
        }
    }

    /// The paragraph, or nil when the bytes hold anything but the expected fields (or are
    /// not a well-formed message, or hold a string that is not UTF-8).
    private static func decodeStored(_ b: UnsafeRawBufferPointer) -> Verbatim_V1_Paragraph? {
        var p = Verbatim_V1_Paragraph()
        var reader = ProtoReader(b)
        var sawSpeaker = false
        while !reader.atEnd {
            guard let (field, wire) = reader.tag() else { return nil }
            switch (field, wire) {
            case (1, 0): guard let v = reader.varint() else { return nil }; p.documentID = UInt32(truncatingIfNeeded: v)
            case (4, 0): guard let v = reader.varint() else { return nil }; p.number = UInt32(truncatingIfNeeded: v)
            case (10, 0): guard let v = reader.varint() else { return nil }; p.date = UInt32(truncatingIfNeeded: v)
            case (13, 0): guard let v = reader.varint() else { return nil }; p.sourceNumber = UInt32(truncatingIfNeeded: v)
            case (2, 2): guard let s = reader.string() else { return nil }; p.documentKey = s
            case (3, 2): guard let s = reader.string() else { return nil }; p.symbol = s
            case (5, 2): guard let s = reader.string() else { return nil }; p.text = s
            case (6, 2): guard let s = reader.string() else { return nil }; p.heading = s
            case (8, 2): guard let s = reader.string() else { return nil }; p.attribution = s
            case (9, 2): guard let s = reader.string() else { return nil }; p.citation = s
            case (11, 2): guard let s = reader.string() else { return nil }; p.citedSymbols.append(s)
            case (14, 2): guard let s = reader.string() else { return nil }; p.longCitation = s
            case (7, 2):
                // A second occurrence would merge into the first: SwiftProtobuf's job.
                guard !sawSpeaker, let bytes = reader.bytes(), let s = decodeSpeaker(bytes) else { return nil }
                sawSpeaker = true
                p.speaker = s
            case (12, 2):
                guard let bytes = reader.bytes(), let r = decodeRange(bytes) else { return nil }
                p.quotes.append(r)
            default: return nil
            }
        }
        return p
    }

    private static func decodeSpeaker(_ b: UnsafeRawBufferPointer) -> Verbatim_V1_SpeakerRef? {
        var s = Verbatim_V1_SpeakerRef()
        var reader = ProtoReader(b)
        while !reader.atEnd {
            guard let (field, wire) = reader.tag() else { return nil }
            switch (field, wire) {
            case (1, 0): guard let v = reader.varint() else { return nil }; s.id = UInt32(truncatingIfNeeded: v)
            case (5, 0): guard let v = reader.varint() else { return nil }; s.roleOnly = v != 0
            case (2, 2): guard let v = reader.string() else { return nil }; s.name = v
            case (3, 2): guard let v = reader.string() else { return nil }; s.role = v
            case (4, 2): guard let v = reader.string() else { return nil }; s.affiliation = v
            default: return nil
            }
        }
        return s
    }

    private static func decodeRange(_ b: UnsafeRawBufferPointer) -> Verbatim_V1_TextRange? {
        var r = Verbatim_V1_TextRange()
        var reader = ProtoReader(b)
        while !reader.atEnd {
            guard let (field, wire) = reader.tag() else { return nil }
            switch (field, wire) {
            case (1, 0): guard let v = reader.varint() else { return nil }; r.start = UInt32(truncatingIfNeeded: v)
            case (2, 0): guard let v = reader.varint() else { return nil }; r.end = UInt32(truncatingIfNeeded: v)
            default: return nil
            }
        }
        return r
    }
}

