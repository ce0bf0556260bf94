import Testing
import VerbatimIngest

struct TextDecodingTests {
    @Test("a leading byte order mark is removed")
    func bom() throws {
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Hello".utf8)) == "Hello")
        #expect(try TextDecoding.prepare("\u{FEFF}Hello") == "Hello")
    }

    @Test("decomposed text is normalised to NFC")
    func nfc() throws {
        let decomposed = "Jo\u{0301}se\u{0301} Mi\u{0302}che\u{0300}le"
        let text = try TextDecoding.decode(Array(decomposed.utf8))
        #expect(Array(text.unicodeScalars) == Array("J\u{00F3}s\u{00E9} M\u{00EE}ch\u{00E8}le".unicodeScalars))
    }

    @Test("typographic punctuation and no-break hyphens pass through unchanged")
    func unchanged() throws {
        let s = "“Counter\u{2011}Terrorism” — it’s 10\u{00A0}a.m.  Two spaces."
        #expect(Array(try TextDecoding.decode(Array(s.utf8)).unicodeScalars) == Array(s.unicodeScalars))
    }

    @Test("a NUL character in text from JSON is binary data")
    func nulInText() {
        #expect(throws: IngestError.self) { try TextDecoding.prepare("abc\u{0000}def") }
    }
}
