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
        // Rarely more scalars than UTF-8 bytes, or words than a quarter of them: a new value
        // allocates once instead of growing step by step.
        let bytes = text.utf8.count
        scalars.reserveCapacity(bytes)
        if offsets { sourceOffsets.reserveCapacity(bytes + 1) }
        words.reserveCapacity(bytes / 4)
        wordHashes.reserveCapacity(bytes / 4)
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
