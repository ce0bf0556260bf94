import VerbatimModel

/// Turns the bytes of a source file into the text the parser reads.
///
/// The result is valid UTF-8 in Unicode Normalization Form C, without a leading byte order
/// mark; nothing else is changed (line ends and white space are left to the parser).
public enum TextDecoding {
    /// Decodes UTF-8 bytes, rejecting what is not usable text.
    ///
    /// One pass over the bytes validates UTF-8 and looks for NUL; text that may not be NFC
    /// (it has combining marks or other scalars outside the known-stable ranges) is then
    /// normalised once. Copies the bytes once into the string.
    ///
    /// - Parameter bytes: the file's bytes.
    /// - Returns: the text, NFC, with a leading U+FEFF removed.
    /// - Throws: ``IngestError`` `.binaryData` (a NUL byte, with its offset), `.invalidUTF8`
    ///   (with the offset of the first bad byte), `.emptyDocument` (empty or only white space).
    public static func decode(_ bytes: some Collection<UInt8>) throws(IngestError) -> String {
        let result: Result<String, IngestError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(IngestError) -> String in try decode(buffer: buffer) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { (buffer) throws(IngestError) -> String in try decode(buffer: buffer) }
    }

    static func decode(buffer: UnsafeBufferPointer<UInt8>) throws(IngestError) -> String {
        if buffer.isEmpty { throw IngestError(.emptyDocument, "empty document: no bytes") }
        let needsNormalization = try validate(buffer)
        return try prepare(String(decoding: buffer, as: UTF8.self), mayNeedNFC: needsNormalization)
    }

    /// Prepares text that is already a `String` (from JSON Lines, say) the same way as bytes:
    /// rejects NUL and blank text, strips a leading U+FEFF, normalises to NFC.
    ///
    /// - Throws: ``IngestError`` `.binaryData` or `.emptyDocument`.
    public static func prepare(_ text: String) throws(IngestError) -> String {
        var mayNeedNFC = false
        var offset = 0
        for s in text.unicodeScalars {
            if s.value == 0 { throw IngestError(.binaryData, "binary data: NUL character at offset \(offset)") }
            if !mayNeedNFC && !isStableNFC(s.value) { mayNeedNFC = true }
            offset += 1
        }
        return try prepare(text, mayNeedNFC: mayNeedNFC)
    }

    static func prepare(_ input: String, mayNeedNFC: Bool) throws(IngestError) -> String {
        var text = input
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        if mayNeedNFC {
            text = text.precomposed
            if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        }
        if text.isEmpty { throw IngestError(.emptyDocument, "empty document: no text") }
        if isBlank(text) { throw IngestError(.emptyDocument, "empty document: only white space") }
        return text
    }

    /// True when the text has nothing but white space (and byte order marks).
    static func isBlank(_ text: String) -> Bool {
        for s in text.unicodeScalars where !(s.properties.isWhitespace || s == "\u{FEFF}" || s == "\u{200B}") {
            return false
        }
        return true
    }

    /// Validates UTF-8 and rejects NUL. Returns true when the text may need NFC normalisation.
    static func validate(_ b: UnsafeBufferPointer<UInt8>) throws(IngestError) -> Bool {
        var i = 0
        let n = b.count
        var mayNeedNFC = false
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if c == 0 { throw IngestError(.binaryData, "binary data: NUL byte at offset \(i)") }
                i += 1
                continue
            }
            var scalar: UInt32
            var need: Int
            var minimum: UInt32
            switch c {
            case 0xC2...0xDF:
                scalar = UInt32(c & 0x1F)
                need = 1
                minimum = 0x80
            case 0xE0...0xEF:
                scalar = UInt32(c & 0x0F)
                need = 2
                minimum = 0x800
            case 0xF0...0xF4:
                scalar = UInt32(c & 0x07)
                need = 3
                minimum = 0x10000
            default: throw invalid(at: i)
            }
            if i + need >= n { throw invalid(at: i) }
            for k in 1...need {
                let d = b[i + k]
                if d & 0xC0 != 0x80 { throw invalid(at: i) }
                scalar = (scalar << 6) | UInt32(d & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) {
                throw invalid(at: i)
            }
            if !mayNeedNFC && !isStableNFC(scalar) { mayNeedNFC = true }
            i += need + 1
        }
        return mayNeedNFC
    }

    static func invalid(at offset: Int) -> IngestError {
        IngestError(.invalidUTF8, "invalid UTF-8 at byte \(offset)")
    }

    /// Scalars that are NFC on their own whatever surrounds them (no decomposition, combining
    /// class 0, never composed with a neighbour). Conservative: unknown ranges say false.
    @inline(__always)
    static func isStableNFC(_ v: UInt32) -> Bool {
        if v < 0x300 { return true }
        switch v {
        case 0x2002...0x20CF, 0x2190...0x2328, 0x2500...0x27FF, 0xFEFF, 0x4E00...0x9FFF, 0xE000...0xF8FF,
            0x1F000...0x1FAFF:
            return true
        default:
            return false
        }
    }
}
