import Foundation
import SwiftProtobuf
import Testing
import VerbatimProtocol
import VerbatimTesting

@testable import VerbatimStore

@Suite("Stored paragraphs decoded by hand")
struct StoredParagraphTests {
    /// Decodes `bytes` both ways: the hand decoder and SwiftProtobuf.
    static func both(_ bytes: [UInt8]) -> (hand: Result<Verbatim_V1_Paragraph, any Error>, swiftProtobuf: Result<Verbatim_V1_Paragraph, any Error>) {
        bytes.withUnsafeBytes { b in
            (Result { try Verbatim_V1_Paragraph(stored: b) }, Result { try Verbatim_V1_Paragraph(serializedBytes: b) })
        }
    }

    @Test("every seed paragraph decodes to the message SwiftProtobuf gives")
    func seeds() throws {
        let t = TestStore()
        let store = try t.open()
        try SeedDocuments.ingestAll(into: store)
        var compared = 0
        var withSpeaker = 0
        var withQuotes = 0
        var withCited = 0
        try store.read { (snap: borrowing Snapshot) throws in
            for d in try snap.documents() {
                for n in UInt32(1)..<(d.paragraphCount + 1) {
                    let bytes = try #require(try snap.withParagraphBytes(documentID: d.id, number: n) { span in
                        span.withUnsafeBytes { Array($0) }
                    })
                    let (hand, reference) = Self.both(bytes)
                    let p = try hand.get()
                    #expect(p == (try reference.get()))
                    #expect(!p.text.isEmpty)
                    compared += 1
                    if p.hasSpeaker { withSpeaker += 1 }
                    if !p.quotes.isEmpty { withQuotes += 1 }
                    if !p.citedSymbols.isEmpty { withCited += 1 }
                }
            }
        }
        // The seeds exercise every kind of field the decoder reads.
        #expect(compared > 50)
        #expect(withSpeaker > 0 && withQuotes > 0 && withCited > 0)
    }

    static func sample() -> Verbatim_V1_Paragraph {
        var p = Verbatim_V1_Paragraph()
        p.documentID = 7
        p.documentKey = "press-l3282"
        p.symbol = "L/3282"
        p.number = 12
        p.text = "We must work together \u{2014} \u{201C}now\u{201D}."
        p.speaker.id = 3
        p.speaker.name = "Ant\u{00F3}nio Guterres"
        p.speaker.roleOnly = true
        p.quotes = [.with { $0.start = 1; $0.end = 5 }]
        p.citedSymbols = ["GA/12035", "S/2019/123"]
        p.date = 20_180_628
        p.sourceNumber = 34
        return p
    }

    @Test("a record with an unknown field, or a speaker written twice, decodes as SwiftProtobuf decodes it")
    func handedOver() throws {
        var bytes: [UInt8] = try Self.sample().serializedBytes()
        // Field 20, varint 5: unknown to this build, kept by SwiftProtobuf.
        let unknown = bytes + [0xA0, 0x01, 0x05]
        var (hand, reference) = Self.both(unknown)
        #expect(try hand.get() == reference.get())
        #expect(try !hand.get().unknownFields.data.isEmpty)
        // A second speaker field (role "SG") merges into the first.
        var second = Verbatim_V1_Paragraph()
        second.speaker.role = "SG"
        bytes += try second.serializedBytes()
        (hand, reference) = Self.both(bytes)
        let merged = try hand.get()
        #expect(merged == (try reference.get()))
        #expect(merged.speaker.name == "Ant\u{00F3}nio Guterres" && merged.speaker.role == "SG")
    }

    @Test("text that is not UTF-8, and a truncated record, throw")
    func malformed() throws {
        let good: [UInt8] = try Self.sample().serializedBytes()
        // Field 5 (text), 2 bytes: an unpaired continuation byte and a truncated sequence.
        let badText = good + [0x2A, 0x02, 0x80, 0xE2]
        #expect(throws: (any Error).self) { try Self.both(badText).hand.get() }
        #expect(throws: (any Error).self) { try Self.both(badText).swiftProtobuf.get() }
        let truncated = Array(good.dropLast(3))
        #expect(throws: (any Error).self) { try Self.both(truncated).hand.get() }
        // 3 bytes that `String(decoding:)` repairs into one U+FFFD of the same length.
        let sameLength = good + [0x2A, 0x03, 0xF0, 0x9F, 0x98]
        #expect(throws: (any Error).self) { try Self.both(sameLength).hand.get() }
    }
}
