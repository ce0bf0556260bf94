import Testing
import VerbatimIngest
import VerbatimModel

/// Input that is not a document gets a precise error.
struct BadInputTests {
    func error(_ bytes: [UInt8]) -> IngestError? {
        do {
            _ = try DocumentParser.parse(bytes: bytes, metadata: SourceMetadata(fileName: "x.txt"))
            return nil
        } catch {
            return error
        }
    }

    @Test("empty input is rejected as an empty document")
    func empty() {
        let e = error([])
        #expect(e?.code == .emptyDocument)
        #expect(e?.message == "empty document: no bytes")
    }

    @Test("white space only (spaces, newlines, no-break spaces, a BOM) is an empty document")
    func whitespaceOnly() {
        let e = error(Array("\u{FEFF}  \n\r\n\t\u{00A0}\n".utf8))
        #expect(e?.code == .emptyDocument)
        #expect(e?.message == "empty document: only white space")
    }

    @Test("a NUL byte is binary data, reported with its offset")
    func binary() {
        let e = error(Array("Some text".utf8) + [0] + Array("more".utf8))
        #expect(e?.code == .binaryData)
        #expect(e?.message == "binary data: NUL byte at offset 9")
    }

    @Test("invalid UTF-8 is reported at the byte offset of the first bad sequence")
    func invalidUTF8() {
        // "é" in Latin-1 (0xE9) at offset 5, then ASCII.
        let e = error(Array("Caf\u{00E9} ".utf8) + [0xE9] + Array(" au lait".utf8))
        #expect(e?.code == .invalidUTF8)
        #expect(e?.message == "invalid UTF-8 at byte 6")
    }

    @Test("overlong encodings, surrogates and truncated sequences are invalid UTF-8")
    func invalidSequences() {
        #expect(error([0x41, 0xC0, 0x80])?.message == "invalid UTF-8 at byte 1")
        #expect(error([0x41, 0x42, 0xED, 0xA0, 0x80])?.message == "invalid UTF-8 at byte 2")
        #expect(error([0x41, 0xE2, 0x80])?.message == "invalid UTF-8 at byte 1")
        #expect(error([0xF5, 0x80, 0x80, 0x80])?.message == "invalid UTF-8 at byte 0")
    }

    @Test("a document of header lines and headings only has no body paragraphs")
    func onlyHeader() {
        let text =
            "Press Release\nSG/SM/1\n8 May 2023\n\nA Headline Without Body\n\n"
            + "For information media. Not an official record.\n"
        let e = error(Array(text.utf8))
        #expect(e?.code == .noBodyParagraphs)
        #expect(e?.message == "no body paragraphs: the document has only header lines and headings")
    }

    @Test("a paragraph over 1 MiB is rejected, naming the paragraph and its size")
    func paragraphTooLarge() {
        let big = String(repeating: "word ", count: 220_000) + "end."
        let text = "A first paragraph that is fine.\n" + big + "\n"
        let e = error(Array(text.utf8))
        #expect(e?.code == .paragraphTooLarge)
        #expect(e?.message == "paragraph 2 is \(big.utf8.count) bytes; the limit is 1048576")
        #expect(DocumentParser.maxParagraphBytes == 1_048_576)
    }

    @Test("errors carry their source and print it first")
    func source() {
        let e = IngestError(.invalidUTF8, "invalid UTF-8 at byte 3").withSource("a/b.txt")
        #expect(e.source == "a/b.txt")
        #expect(e.description == "a/b.txt: invalid UTF-8 at byte 3")
        let matched: Bool
        switch e as any Error {
        case IngestError.Code.invalidUTF8: matched = true
        default: matched = false
        }
        #expect(matched)
    }
}
