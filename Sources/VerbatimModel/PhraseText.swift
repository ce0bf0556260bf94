/// Text in the matching form of `Folding.text`, with the way back to the source.
///
/// `scalars` equals `Folding.text(source).unicodeScalars` (for NFC source text, which
/// stored text always is); `sourceOffsets[i]` is the Unicode scalar offset in the source of
/// the scalar that folded scalar `i` came from, and `sourceOffsets[scalars.count]` is the
/// source length, so a folded range `a..<b` maps back to `sourceOffsets[a]..<sourceEnd(b)`.
///
/// `words` are the runs of letters, marks and digits of the folded text: the tokens the
/// phrase index is built from and near matches are counted in (docs/CITATIONS.md).
public struct PhraseText: Sendable {
    public private(set) var scalars: [UInt32] = []
    public private(set) var sourceOffsets: [Int32] = []
    /// Word ranges into `scalars`.
    public private(set) var words: [Range<Int32>] = []
    /// One 64-bit hash per word (FNV-1a of its folded scalars), stable across processes.
    public private(set) var wordHashes: [UInt64] = []

    public init() {}

    /// Folds `text` (made NFC first).
    public init(_ text: some StringProtocol, offsets: Bool = true) {
        reset(String(text).precomposed, offsets: offsets)
    }

    /// Folds `text`, reusing this value's storage. `text` must already be NFC.
    public mutating func reset(_ text: String, offsets: Bool = true) {
        scalars.removeAll(keepingCapacity: true)
        sourceOffsets.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        wordHashes.removeAll(keepingCapacity: true)
        var pendingSpace = false
        var source: Int32 = 0
        var wordStart: Int32 = -1
        var hash: UInt64 = PhraseText.fnvBasis
        var probe = String.UnicodeScalarView()

        @inline(__always) func endWord(_ at: Int32) {
            if wordStart >= 0 {
                words.append(wordStart..<at)
                wordHashes.append(hash)
                wordStart = -1
                hash = PhraseText.fnvBasis
            }
        }
        @inline(__always) func emit(_ v: UInt32, word: Bool) {
            let at = Int32(scalars.count)
            if word {
                if wordStart < 0 { wordStart = at }
                hash = (hash ^ UInt64(v)) &* PhraseText.fnvPrime
            } else {
                endWord(at)
            }
            scalars.append(v)
            if offsets { sourceOffsets.append(source) }
        }

        for s in text.unicodeScalars {
            defer { source += 1 }
            let v = s.value
            if v < 0x80 {
                // ASCII fast path, the same mapping as Folding.foldScalar.
                if v == 0x20 || (v >= 0x09 && v <= 0x0D) {
                    pendingSpace = true
                    continue
                }
                if pendingSpace && !scalars.isEmpty { emit(0x20, word: false) }
                pendingSpace = false
                if v >= 0x41 && v <= 0x5A {
                    emit(v + 0x20, word: true)
                } else if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 {
                    emit(v, word: true)
                } else if v == 0x22 || v == 0x27 || v == 0x60 {
                    emit(0x27, word: false)
                } else {
                    emit(v, word: false)
                }
                continue
            }
            probe.removeAll(keepingCapacity: true)
            if !Folding.foldScalar(s, into: &probe) {
                pendingSpace = true
                continue
            }
            if pendingSpace && !scalars.isEmpty { emit(0x20, word: false) }
            pendingSpace = false
            for f in probe { emit(f.value, word: PhraseText.isWordScalar(f)) }
        }
        endWord(Int32(scalars.count))
        if offsets { sourceOffsets.append(source) }
    }

    /// Letters, marks and digits.
    @inlinable
    public static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 || v >= 0x41 && v <= 0x5A }
        let p = s.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    public static let fnvBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let fnvPrime: UInt64 = 0x100_0000_01b3

    /// The hash of two adjacent words, the key of the phrase index (docs/CITATIONS.md).
    @inlinable
    public static func pairHash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = a &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        h = (h ^ b) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }

    /// The source range (Unicode scalar offsets) of the folded range `range`: from the
    /// source scalar of its first folded scalar to just after that of its last.
    public func sourceRange(_ range: Range<Int>) -> Range<Int> {
        let start = Int(sourceOffsets[range.lowerBound])
        guard range.upperBound > range.lowerBound else { return start..<start }
        return start..<(Int(sourceOffsets[range.upperBound - 1]) + 1)
    }

    /// Offsets of every occurrence of `needle` in this text that starts and ends at word
    /// boundaries (a word scalar at an edge of `needle` may not continue a word of the text).
    public func occurrences(of needle: PhraseText) -> [Range<Int>] {
        var out: [Range<Int>] = []
        scalars.withUnsafeBufferPointer { hay in
            PhraseText.scan(hay, for: needle) { r in
                out.append(r)
                return true
            }
        }
        return out
    }

    /// Whether `needle` occurs in the folded form of `utf8` (UTF-8 text, NFC, as stored) as
    /// `occurrences` would find it, folding into `buffer` only the scalars: no offsets,
    /// words or hashes, no `String`. `nil` when `utf8` is not valid UTF-8.
    public static func contains(_ needle: PhraseText, utf8: UnsafeRawBufferPointer, buffer: inout [UInt32]) -> Bool? {
        guard fold(utf8, into: &buffer) else { return nil }
        var found = false
        buffer.withUnsafeBufferPointer { hay in
            scan(hay, for: needle) { _ in
                found = true
                return false
            }
        }
        return found
    }

    /// A byte pattern that the stored UTF-8 bytes of any text whose folded form holds
    /// `needle` contain (`mayContain(pattern:utf8:)`): each ASCII letter, digit or other
    /// punctuation of the needle as that byte (letters in either case), and each run of
    /// the rest (spaces, control characters, `'`, `-`, non-ASCII scalars, which white
    /// space, control characters, quotation marks, dashes and non-ASCII text fold to) as a
    /// run of one or more bytes of that kind.
    /// Coded as bytes, with 0 for such a run.
    public static func bytePattern(_ needle: PhraseText) -> [UInt8] {
        var out: [UInt8] = []
        for v in needle.scalars {
            if v < 0x80 && v > 0x20 && v != 0x27 && v != 0x2D {
                out.append(UInt8(v))
            } else if out.last != 0 {
                out.append(0)
            }
        }
        return out
    }

    /// Whether a byte belongs to a run that a pattern's 0 stands for.
    @inline(__always)
    static func isRunByte(_ c: UInt8) -> Bool {
        c >= 0x80 || c <= 0x20 || c == 0x27 || c == 0x22 || c == 0x60 || c == 0x2D
    }

    /// False when `utf8` (stored text) cannot hold `pattern` (`bytePattern`), so its folded
    /// form cannot hold the needle. Text holding U+0130 or U+212A (which fold to ASCII `i`
    /// and `k`) always may.
    public static func mayContain(pattern: [UInt8], utf8 b: UnsafeRawBufferPointer) -> Bool {
        let n = b.count
        guard let first = pattern.first else { return true }
        return pattern.withUnsafeBufferPointer { p in
            @inline(__always) func matches(_ c: UInt8, _ x: UInt8) -> Bool {
                c == x || (x >= 0x61 && x <= 0x7A && c == x - 0x20)
            }
            var i = 0
            while i < n {
                let c = b[i]
                if c == 0xC4 && i + 1 < n && b[i + 1] == 0xB0 { return true }
                if c == 0xE2 && i + 2 < n && b[i + 1] == 0x84 && b[i + 2] == 0xAA { return true }
                if first == 0 ? isRunByte(c) : matches(c, first) {
                    // Greedy: a run is followed by a byte that cannot be in it.
                    var k = i
                    var j = 0
                    while j < p.count && k < n {
                        if p[j] == 0 {
                            guard isRunByte(b[k]) else { break }
                            while k < n && isRunByte(b[k]) { k += 1 }
                        } else {
                            guard matches(b[k], p[j]) else { break }
                            k += 1
                        }
                        j += 1
                    }
                    if j == p.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// The folded scalars of `utf8`, exactly as `reset` folds the same text. - Returns:
    /// false for bytes that are not valid UTF-8.
    static func fold(_ b: UnsafeRawBufferPointer, into out: inout [UInt32]) -> Bool {
        var valid = true
        // A byte folds to one scalar at most, plus a space before it; a multi-byte scalar
        // to at most 3 (its lower-case mapping), plus the space.
        out = [UInt32](unsafeUninitializedCapacity: 2 * b.count + 1) { buffer, count in
            var w = 0
            var pendingSpace = false
            var probe = String.UnicodeScalarView()
            var i = 0
            let n = b.count
            while i < n {
                let b0 = UInt32(b[i])
                if b0 < 0x80 {
                    i += 1
                    if b0 == 0x20 || (b0 >= 0x09 && b0 <= 0x0D) {
                        pendingSpace = true
                        continue
                    }
                    if pendingSpace && w > 0 {
                        buffer[w] = 0x20
                        w += 1
                    }
                    pendingSpace = false
                    if b0 >= 0x41 && b0 <= 0x5A {
                        buffer[w] = b0 + 0x20
                    } else if b0 == 0x22 || b0 == 0x27 || b0 == 0x60 {
                        buffer[w] = 0x27
                    } else {
                        buffer[w] = b0
                    }
                    w += 1
                    continue
                }
                // A multi-byte scalar.
                let length: Int
                var v: UInt32
                if b0 >= 0xF0 && b0 < 0xF8 {
                    length = 4
                    v = b0 & 0x07
                } else if b0 >= 0xE0 && b0 < 0xF0 {
                    length = 3
                    v = b0 & 0x0F
                } else if b0 >= 0xC2 && b0 < 0xE0 {
                    length = 2
                    v = b0 & 0x1F
                } else {
                    valid = false
                    break
                }
                guard i + length <= n else {
                    valid = false
                    break
                }
                for k in 1..<length {
                    let c = UInt32(b[i + k])
                    if c & 0xC0 != 0x80 { valid = false }
                    v = v << 6 | (c & 0x3F)
                }
                i += length
                guard valid, let s = Unicode.Scalar(v), v >= (length == 3 ? 0x800 : length == 4 ? 0x10000 : 0x80) else {
                    valid = false
                    break
                }
                probe.removeAll(keepingCapacity: true)
                if !Folding.foldScalar(s, into: &probe) {
                    pendingSpace = true
                    continue
                }
                if pendingSpace && w > 0 {
                    buffer[w] = 0x20
                    w += 1
                }
                pendingSpace = false
                for f in probe where w < buffer.count {
                    buffer[w] = f.value
                    w += 1
                }
            }
            count = valid ? w : 0
        }
        return valid
    }

    /// Calls `body` with each occurrence of `needle` in `hay` (folded scalars) that starts
    /// and ends at word boundaries, left to right, not overlapping, while it returns true.
    static func scan(_ hay: UnsafeBufferPointer<UInt32>, for needle: PhraseText, _ body: (Range<Int>) -> Bool) {
        let n = needle.scalars.count
        let h = hay.count
        guard n > 0, n <= h else { return }
        let first = needle.scalars[0]
        let startsWithWord = PhraseText.isWord(first)
        let endsWithWord = PhraseText.isWord(needle.scalars[n - 1])
        needle.scalars.withUnsafeBufferPointer { nd in
            var i = 0
            let lastStart = h - n
            while i <= lastStart {
                if hay[i] != first { i += 1; continue }
                var j = 1
                while j < n && hay[i + j] == nd[j] { j += 1 }
                if j == n {
                    let okStart = !startsWithWord || i == 0 || !PhraseText.isWord(hay[i - 1])
                    let okEnd = !endsWithWord || i + n == h || !PhraseText.isWord(hay[i + n])
                    if okStart && okEnd {
                        guard body(i..<(i + n)) else { return }
                        i += n
                        continue
                    }
                }
                i += 1
            }
        }
    }

    @inline(__always)
    static func isWord(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 }
        return Unicode.Scalar(v).map(isWordScalar) ?? false
    }
}
