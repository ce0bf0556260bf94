import CByteScan

/// Finds a folded quotation in stored UTF-8 text without folding the whole text.
///
/// `matches(in:)` reports exactly what `PhraseText(text).occurrences(of: needle)` mapped
/// through `sourceRange` reports (left to right, not overlapping, at word boundaries where
/// the needle starts or ends with a letter or digit), but reads the bytes in place: only
/// the bytes that can fold to the first scalars of the needle's anchor word (its first
/// word, or a longer later one) start a comparison, which folds the text from the
/// needle's start, scalar by scalar, until it differs. So a paragraph that does not hold
/// the quotation costs one pass over its bytes and no allocation.
///
/// It relies on folding being per scalar (`Folding.foldScalar`) except that runs of white
/// space fold to one space and leading white space to nothing: the folded text from any
/// non-white-space scalar on is the fold of the bytes from there, whatever came before.
///
/// ```swift
/// let matcher = PhraseMatcher(PhraseText("the peace process,"))!
/// let valid = matcher.matches(in: utf8) { range in ranges.append(range); return true }
/// ```
public struct PhraseMatcher: Sendable {
    /// The needle's folded scalars.
    let needle: [UInt32]
    /// Bytes that can be the first byte of a scalar that folds to the needle's first scalar.
    let starts: ByteSet
    /// Bytes that can start the scalar after an ASCII first scalar (all, for a needle of one scalar).
    let follows: ByteSet
    let startsWithWord: Bool
    let endsWithWord: Bool
    /// The needle scalar that the byte scan looks for (`starts`, `follows` and `skip` are
    /// of this scalar and the next): 0, or the start of a later word when that word is
    /// longer than the first (a rarer anchor); the start of a match is then found by
    /// folding backwards from it (`start(before:)`).
    let anchor: Int
    /// A test of many positions at once that none starts an occurrence, when the needle's
    /// first scalars allow one.
    let skip: Skip?

    /// A set of byte values, in four words (no allocation per matcher).
    struct ByteSet: Sendable {
        var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        static let all = ByteSet(bits: (.max, .max, .max, .max))

        @inline(__always)
        func contains(_ b: UInt8) -> Bool {
            let word: UInt64
            switch b >> 6 {
            case 0: word = bits.0
            case 1: word = bits.1
            case 2: word = bits.2
            default: word = bits.3
            }
            return word >> UInt64(b & 63) & 1 != 0
        }

        mutating func insert(_ b: UInt8) {
            let bit: UInt64 = 1 << UInt64(b & 63)
            switch b >> 6 {
            case 0: bits.0 |= bit
            case 1: bits.1 |= bit
            case 2: bits.2 |= bit
            default: bits.3 |= bit
            }
        }
    }

    /// The bytes at `p + k` pass for the needle's scalars `k` = 0, 1, ... `depth - 1` when
    /// `byte | cases[k] == values[k]` (each such scalar comes from one byte), or, for a
    /// last scalar that is a space, when the byte may start white space (`space_last`);
    /// or, for a needle starting with `i` or `k`, when the byte at `p` is the first of
    /// U+0130 or U+212A (`lead`), the only scalars not ASCII whose folds start with them
    /// (`Folding.foldScalar`; a test checks every scalar): a superset of where `starts`
    /// and `follows` allow a match to begin. Tested on 32 positions at once with AVX2, 16
    /// with SSE2 (`verbatim_byte_scan`, in C).
    struct Skip: Sendable {
        var pattern = verbatim_byte_pattern()

        /// The test for an ASCII scalar `v` (nil unless it comes from one byte only, in either case).
        static func byte(_ v: UInt32) -> (UInt8, UInt8)? {
            if v >= 0x61 && v <= 0x7A { return v == 0x69 || v == 0x6B ? nil : (UInt8(v), 0x20) }
            if v > 0x20 && v < 0x80 && v != 0x27 && v != 0x2D && !(v >= 0x41 && v <= 0x5A) { return (UInt8(v), 0) }
            return nil
        }

        /// The test of the scalars from `n.startIndex` on (no allocation: made per lookup).
        init?(_ n: ArraySlice<UInt32>) {
            let a = n[n.startIndex]
            // `i` and `k` also start the folds of U+0130 (C4 B0) and U+212A (E2 84 AA).
            let lead: UInt8 = a == 0x69 ? 0xC4 : a == 0x6B ? 0xE2 : 0
            guard let (f, c) = lead != 0 ? (UInt8(a), UInt8(0x20)) : Self.byte(a) else { return nil }
            var depth = 1
            var spaceLast = false
            withUnsafeMutableBytes(of: &pattern.values) { values in
                withUnsafeMutableBytes(of: &pattern.cases) { cases in
                    values[0] = f
                    cases[0] = c
                    // Scalars after one that comes from one byte are at a fixed offset.
                    while depth < min(n.count, 4) {
                        let v = n[n.startIndex + depth]
                        if let (g, d) = Self.byte(v) {
                            values[depth] = g
                            cases[depth] = d
                            depth += 1
                        } else {
                            if v == 0x20 {
                                // Its test is the white-space one: values and cases stay 0.
                                spaceLast = true
                                depth += 1
                            }
                            break
                        }
                    }
                }
            }
            pattern.depth = Int32(depth)
            pattern.space_last = spaceLast ? 1 : 0
            pattern.lead = lead
        }
    }

    /// A matcher for `needle` (a folded quotation). `nil` when the needle is empty or
    /// starts with white space, or with a scalar that another scalar's fold holds after
    /// its first (U+0307, from U+0130): such needles are matched with `PhraseText`.
    public init?(_ needle: PhraseText) {
        let n = needle.scalars
        guard let first = n.first, first != 0x20, first != 0x307 else { return nil }
        self.needle = n
        startsWithWord = PhraseText.isWord(first)
        endsWithWord = PhraseText.isWord(n[n.count - 1])
        // The longest word whose first 4 scalars each come from one byte, or start with `i`
        // or `k` followed by such scalars (the scan tests those by their lead bytes too);
        // the first word needs no walk back, so it wins ties.
        func simpleRun(_ d: Int) -> Int {
            var k = d
            if n[k] == 0x69 || n[k] == 0x6B { k += 1 }
            while k < n.count && Skip.byte(n[k]) != nil { k += 1 }
            return k - d
        }
        var anchor = 0
        var best = simpleRun(0)
        for d in 1..<n.count where n[d - 1] == 0x20 && simpleRun(d) > max(best, 3) {
            anchor = d
            best = simpleRun(d)
        }
        self.anchor = anchor
        starts = Self.startBytes(n[anchor])
        follows = n.count - anchor < 2 ? ByteSet.all : Self.startBytes(n[anchor + 1])
        skip = Skip(n[anchor...])
    }

    /// The bytes that can start a scalar whose fold starts with `v` (for a space: white space).
    @inline(__always)
    static func startBytes(_ v: UInt32) -> ByteSet { startTable[Int(min(v, 0x80))] }

    /// `startBytes` of each ASCII scalar, and (last) of every scalar from 0x80 on.
    static let startTable: [ByteSet] = (0...0x80).map { v in
        var starts = ByteSet()
        if v == 0x20 {
            for b in 0x09...0x0D { starts.insert(UInt8(b)) }
            starts.insert(0x20)
        } else if v < 0x80 {
            for b in 0..<0x80 where !isASCIISpace(UInt32(b)) && foldASCII(UInt32(b)) == v { starts.insert(UInt8(b)) }
        }
        // Non-ASCII scalars fold to non-ASCII ones, or to quotes, dashes, `i` (U+0130), `k`
        // (U+212A), and white space to a space.
        if v >= 0x80 || v == 0x20 || v == 0x27 || v == 0x2D || v == 0x69 || v == 0x6B {
            for b in 0xC2..<0xF5 { starts.insert(UInt8(b)) }
        }
        return starts
    }

    /// The fold of an ASCII scalar that is not white space.
    @inline(__always)
    static func foldASCII(_ v: UInt32) -> UInt32 {
        if v >= 0x41 && v <= 0x5A { return v + 0x20 }
        if v == 0x22 || v == 0x60 { return 0x27 }
        return v
    }

    @inline(__always)
    static func isASCIISpace(_ v: UInt32) -> Bool { v == 0x20 || (v >= 0x09 && v <= 0x0D) }

    /// The source ranges (Unicode scalar offsets into the text, as
    /// `PhraseText.sourceRange`) of the needle's occurrences in `utf8`, left to right,
    /// while `body` returns true. - Returns: false when `utf8` is not valid UTF-8 where it
    /// was read (the caller should then fold the text as `String(decoding:)` does).
    public func matches(in utf8: UnsafeRawBufferPointer, _ body: (Range<Int>) -> Bool) -> Bool {
        let count = utf8.count
        guard count > 0, let base = utf8.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        var valid = true
        // Offsets are counted incrementally, only for matches.
        var counter = ScalarCounter()
        var minStart = 0
        needle.withUnsafeBufferPointer { nd in
            var i = 0
            while i < count {
                // The scan leaves the last 18 positions to this loop: calling it there again
                // for each of them would cost a call per byte.
                if let skip, count &- i >= 19 {
                    withUnsafePointer(to: skip.pattern) { i = verbatim_byte_scan(base, count, i, $0) }
                }
                let c = base[i]
                // An ASCII first byte is the first scalar: the next byte starts the second.
                if !starts.contains(c)
                    || (c < 0x80 && (i + 1 == count ? nd.count - anchor > 1 : !follows.contains(base[i + 1])))
                {
                    i += 1
                    continue
                }
                // Where a match with its anchor scalar at `i` would start.
                var s = i
                if anchor > 0 {
                    switch start(before: i, base, count, nd) {
                    case .none:
                        i += 1
                        continue
                    case .invalid:
                        valid = false
                        return
                    case .found(let at, _):
                        s = at
                    }
                    // Not overlapping the last match (which ends at or before `i`, see below).
                    if s < minStart {
                        i += 1
                        continue
                    }
                }
                switch match(at: s, base, count, nd) {
                case .none:
                    i += 1
                case .invalid:
                    valid = false
                    return
                case .found(let end, let lastStart):
                    // The start's word boundary, checked after the comparison (which most hits fail).
                    guard let atBoundary = startsAtBoundary(s, base, count) else {
                        valid = false
                        return
                    }
                    guard atBoundary else {
                        i += 1
                        continue
                    }
                    // Scalar offsets: count the lead bytes up to the match's first and last scalar.
                    let start = counter.scalars(before: s, base)
                    let last = counter.scalars(before: lastStart, base)
                    guard body(start..<(last + 1)) else { return }
                    // The next match starts at `end` or after, and its anchor after that.
                    minStart = end
                    i = end
                }
            }
        }
        return valid
    }

    /// Counts the scalars of UTF-8 text up to a byte, front to back (a value, not captured
    /// variables: those are checked for exclusive access at run time).
    struct ScalarCounter {
        /// Scalars before byte `counted`.
        var counted = 0
        var scalars = 0

        /// The scalars before byte `b` (not before the last `b` asked for).
        @inline(__always)
        mutating func scalars(before b: Int, _ base: UnsafePointer<UInt8>) -> Int {
            // 8 bytes at a time: the bytes that are not continuation bytes (10xxxxxx).
            while counted &+ 8 <= b {
                let v = UInt64(littleEndian: UnsafeRawPointer(base + counted).loadUnaligned(as: UInt64.self))
                let continuation = v & ~(v << 1) & 0x8080_8080_8080_8080
                scalars &+= 8 &- continuation.nonzeroBitCount
                counted &+= 8
            }
            while counted < b {
                if base[counted] & 0xC0 != 0x80 { scalars += 1 }
                counted += 1
            }
            return scalars
        }
    }

    enum Outcome {
        case none
        case invalid
        /// `end`: the byte after the match; `lastStart`: the first byte of its last scalar.
        case found(end: Int, lastStart: Int)
    }

    /// Decodes the scalar at byte `i`: its value and length, or nil for invalid UTF-8.
    @inline(__always)
    static func decode(_ b: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> (UInt32, Int)? {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        let length: Int
        var v: UInt32
        if b0 >= 0xF0 && b0 < 0xF5 {
            length = 4
            v = b0 & 0x07
        } else if b0 >= 0xE0 && b0 < 0xF0 {
            length = 3
            v = b0 & 0x0F
        } else if b0 >= 0xC2 && b0 < 0xE0 {
            length = 2
            v = b0 & 0x1F
        } else {
            return nil
        }
        guard i + length <= count else { return nil }
        for k in 1..<length {
            let c = UInt32(b[i + k])
            guard c & 0xC0 == 0x80 else { return nil }
            v = v << 6 | (c & 0x3F)
        }
        guard v >= (length == 3 ? 0x800 : length == 4 ? 0x10000 : 0x80), v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v)
        else { return nil }
        return (v, length)
    }

    /// Folds a non-ASCII scalar into `probe`; false for white space.
    @inline(__always)
    static func fold(_ v: UInt32, into probe: inout String.UnicodeScalarView) -> Bool {
        probe.removeAll(keepingCapacity: true)
        return Folding.foldScalar(Unicode.Scalar(v)!, into: &probe)
    }

    /// Compares the fold of the text from byte `s` with the needle, and checks the word
    /// boundary after it (`startsAtBoundary` checks the one before).
    func match(at s: Int, _ b: UnsafePointer<UInt8>, _ count: Int, _ nd: UnsafeBufferPointer<UInt32>) -> Outcome {
        // A match starts at the first byte of a scalar that is not white space.
        if b[s] & 0xC0 == 0x80 { return .none }
        let n = nd.count
        var probe = String.UnicodeScalarView()
        var i = s
        var j = 0
        var pendingSpace = false
        // The first byte of the last scalar matched, and the byte after it.
        var lastStart = s
        var lastEnd = s
        while i < count {
            let v: UInt32
            let length: Int
            let c = UInt32(b[i])
            if c < 0x80 {
                if Self.isASCIISpace(c) {
                    pendingSpace = true
                    i += 1
                    continue
                }
                v = c
                length = 1
            } else {
                guard let (d, l) = Self.decode(b, i, count) else { return .invalid }
                v = d
                length = l
            }
            if v >= 0x80 && !Self.fold(v, into: &probe) {
                pendingSpace = true
                i += length
                continue
            }
            // The scalar folds to something: a pending space comes first.
            if pendingSpace {
                if j == n { return .found(end: lastEnd, lastStart: lastStart) }
                guard nd[j] == 0x20 else { return .none }
                j += 1
                pendingSpace = false
            }
            if v < 0x80 {
                let f = Self.foldASCII(v)
                if j == n { return endsWithWord && PhraseText.isWord(f) ? .none : .found(end: lastEnd, lastStart: lastStart) }
                guard f == nd[j] else { return .none }
                j += 1
            } else {
                var used = false
                for f in probe {
                    if j == n {
                        if endsWithWord && PhraseText.isWord(f.value) { return .none }
                        // The needle ends inside this scalar's fold: the scalar is its last.
                        return used ? .found(end: i + length, lastStart: i) : .found(end: lastEnd, lastStart: lastStart)
                    }
                    guard f.value == nd[j] else { return .none }
                    j += 1
                    used = true
                }
            }
            lastStart = i
            i += length
            lastEnd = i
            if j == n && !endsWithWord { return .found(end: lastEnd, lastStart: lastStart) }
        }
        return j == n ? .found(end: lastEnd, lastStart: lastStart) : .none
    }

    /// Folds the text backwards from byte `h` (where the anchor scalar would be) against
    /// the needle's scalars before the anchor. - Returns: `.found(end: s, lastStart: s)`
    /// with `s` the byte where a match would start (`match(at:)` then checks it), `.none`
    /// when the text before `h` cannot be that part of the needle.
    func start(before h: Int, _ b: UnsafePointer<UInt8>, _ count: Int, _ nd: UnsafeBufferPointer<UInt32>) -> Outcome {
        if b[h] & 0xC0 == 0x80 { return .none }
        var probe = String.UnicodeScalarView()
        var p = h
        var j = anchor - 1
        // The scalar before byte `p`: its first byte and value, nil for invalid UTF-8.
        func previous() -> (Int, UInt32)? {
            var q = p - 1
            while q > 0 && b[q] & 0xC0 == 0x80 { q -= 1 }
            guard let (v, length) = Self.decode(b, q, count), q + length == p else { return nil }
            return (q, v)
        }
        func isSpace(_ v: UInt32) -> Bool {
            v < 0x80 ? Self.isASCIISpace(v) : !Self.fold(v, into: &probe)
        }
        while j >= 0 {
            guard p > 0 else { return .none }
            guard let (q, v) = previous() else { return .invalid }
            if nd[j] == 0x20 {
                // A run of white space, at least one scalar.
                guard isSpace(v) else { return .none }
                p = q
                while p > 0 {
                    guard let (q, v) = previous() else { return .invalid }
                    guard isSpace(v) else { break }
                    p = q
                }
                j -= 1
                continue
            }
            if v < 0x80 {
                if Self.isASCIISpace(v) || Self.foldASCII(v) != nd[j] { return .none }
                j -= 1
            } else {
                guard Self.fold(v, into: &probe) else { return .none }
                // Its fold, last scalar first; a match does not start inside a fold.
                for f in probe.reversed() {
                    guard j >= 0, f.value == nd[j] else { return .none }
                    j -= 1
                }
            }
            p = q
        }
        return .found(end: p, lastStart: p)
    }

    /// Whether the scalar before byte `s` (if any) leaves the needle's start at a word
    /// boundary; `nil` for invalid UTF-8.
    func startsAtBoundary(_ s: Int, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool? {
        guard startsWithWord && s > 0 else { return true }
        var p = s - 1
        while p > 0 && b[p] & 0xC0 == 0x80 { p -= 1 }
        guard let (v, _) = Self.decode(b, p, count) else { return nil }
        if v < 0x80 { return Self.isASCIISpace(v) || !PhraseText.isWord(Self.foldASCII(v)) }
        var probe = String.UnicodeScalarView()
        guard Self.fold(v, into: &probe), let last = probe.last else { return true }
        return !PhraseText.isWord(last.value)
    }
}
