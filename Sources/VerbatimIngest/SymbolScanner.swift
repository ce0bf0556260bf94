/// Finds UN document symbols and resolution references in text.
///
/// A symbol is 1–6 upper-case ASCII letters (`A`, `S`, `GA`, `SG`, `DSG`, `ECOSOC`), then one
/// or more `/`-separated segments of letters, digits, `.` and dashes (`PV.8728`, `RES`, `70`),
/// with at least one digit somewhere after the first `/`. It must not follow a letter, digit
/// or `/`. A trailing `.` or dash is not part of it. Dash variants become ASCII `-`.
/// This rejects `ISIL/Da’esh` (no digit), `and/or` (lower case), `24/7` and `26/6` (digits first).
///
/// `resolution 2374 (2017)` (also `resolutions 2178 (2014) and 2396 (2017)`) is reported
/// as `resolution 2374 (2017)`.
enum SymbolScanner {
    /// The symbols and resolutions cited in `text`, in order of first mention, deduplicated.
    static func citedSymbols(in text: Substring) -> [String] {
        var found: [String] = []
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { scan($0, into: &found) }
        if done == nil { Array(text.utf8).withUnsafeBufferPointer { scan($0, into: &found) } }
        return found
    }

    /// True when the whole of `line` is one document symbol (`L/3282`, `S/PV.8728`).
    static func isSymbol(_ line: Substring) -> Bool {
        let bytes = Array(line.utf8)
        guard let slash = bytes.firstIndex(of: 0x2F) else { return false }
        return bytes.withUnsafeBufferPointer { b in
            guard let (start, end, _) = symbol(around: slash, in: b) else { return false }
            return start == 0 && end == b.count
        }
    }

    /// The symbol in normal form (dash variants as `-`), or `nil` if `line` is not one symbol.
    static func normalizedSymbol(_ line: Substring) -> String? {
        let bytes = Array(line.utf8)
        guard let slash = bytes.firstIndex(of: 0x2F) else { return nil }
        return bytes.withUnsafeBufferPointer { b in
            guard let (start, end, text) = symbol(around: slash, in: b), start == 0, end == b.count else { return nil }
            return text
        }
    }

    static func scan(_ b: UnsafeBufferPointer<UInt8>, into found: inout [String]) {
        var i = 0
        let n = b.count
        var consumedUpTo = 0
        while i < n {
            let c = b[i]
            if c == 0x2F, i >= consumedUpTo {
                if let (_, end, text) = symbol(around: i, in: b) {
                    if !found.contains(text) { found.append(text) }
                    consumedUpTo = end
                    i = end
                    continue
                }
            } else if c == 0x72 || c == 0x52, i + 10 <= n, isResolutionWord(b, at: i) {
                let (refs, end) = resolutions(b, wordAt: i)
                for ref in refs where !found.contains(ref) { found.append(ref) }
                i = max(end, i + 1)
                continue
            }
            i += 1
        }
    }

    /// Parses a symbol whose first `/` is at `slash`. Returns its byte range and normal form.
    static func symbol(around slash: Int, in b: UnsafeBufferPointer<UInt8>) -> (Int, Int, String)? {
        // The first segment: 1–6 upper-case letters right before the slash.
        var start = slash
        while start > 0, isUpper(b[start - 1]), slash - start < 7 { start -= 1 }
        let headLength = slash - start
        guard headLength >= 1, headLength <= 6 else { return nil }
        if start > 0 {
            let p = b[start - 1]
            if isAlnum(p) || p == 0x2F || (p >= 0x80 && isLetterBefore(b, start)) { return nil }
        }
        var out: [UInt8] = Array(b[start..<slash])
        var i = slash
        var digits = false
        var end = slash
        while i < b.count, b[i] == 0x2F {
            // One segment after '/': (normalised byte, source end after it).
            var j = i + 1
            var segment: [(byte: UInt8, end: Int)] = []
            while j < b.count {
                let c = b[j]
                if isAlnum(c) || c == 0x2E || c == 0x2D {
                    j += 1
                    segment.append((c, j))
                } else if let dashLength = dashLength(b, at: j) {
                    j += dashLength
                    segment.append((0x2D, j))
                } else {
                    break
                }
            }
            // A trailing '.' or dash is punctuation, not part of the symbol.
            while let last = segment.last, last.byte == 0x2E || last.byte == 0x2D { segment.removeLast() }
            guard let first = segment.first, isAlnum(first.byte) else { break }
            if segment.contains(where: { isDigit($0.byte) }) { digits = true }
            out.append(0x2F)
            out.append(contentsOf: segment.map(\.byte))
            end = segment[segment.count - 1].end
            i = end
        }
        guard digits, end > slash else { return nil }
        return (start, end, String(decoding: out, as: UTF8.self))
    }

    /// The byte length of a non-ASCII dash at `i` (U+2010–U+2015, U+2212, U+FE63, U+FF0D), or nil.
    @inline(__always)
    static func dashLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i + 2 < b.count else { return nil }
        let (b0, b1, b2) = (b[i], b[i + 1], b[i + 2])
        if b0 == 0xE2 && b1 == 0x80 && b2 >= 0x90 && b2 <= 0x95 { return 3 }
        if b0 == 0xE2 && b1 == 0x88 && b2 == 0x92 { return 3 }
        if b0 == 0xEF && b1 == 0xB9 && b2 == 0xA3 { return 3 }
        if b0 == 0xEF && b1 == 0xBC && b2 == 0x8D { return 3 }
        return nil
    }

    /// True when a non-ASCII letter ends just before `i` (so `Ü/…` is not a symbol boundary).
    static func isLetterBefore(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        var j = i - 1
        while j > 0, b[j] & 0xC0 == 0x80 { j -= 1 }
        let scalarBytes = Array(b[j..<i])
        guard let s = String(decoding: scalarBytes, as: UTF8.self).unicodeScalars.first else { return false }
        return s.properties.isAlphabetic
    }

    static func isResolutionWord(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let word: [UInt8] = Array("esolution".utf8)
        for k in 0..<word.count where b[i + 1 + k] | 0x20 != word[k] { return false }
        if i > 0, isAlnum(b[i - 1]) { return false }
        return true
    }

    /// After `resolution(s)` at `i`: one or more `N (YYYY)` joined by `,` / `and`.
    static func resolutions(_ b: UnsafeBufferPointer<UInt8>, wordAt i: Int) -> ([String], Int) {
        var j = i + 10
        if j < b.count, b[j] | 0x20 == 0x73 { j += 1 }  // "resolutions"
        var refs: [String] = []
        var end = j
        while true {
            var k = j
            guard k < b.count, b[k] == 0x20 || b[k] == 0xC2 else { break }
            k += b[k] == 0xC2 ? 2 : 1  // a space or U+00A0
            let numberStart = k
            while k < b.count, isDigit(b[k]), k - numberStart < 5 { k += 1 }
            guard k > numberStart, k < b.count else { break }
            let number = String(decoding: b[numberStart..<k], as: UTF8.self)
            if b[k] == 0x20 { k += 1 } else if b[k] == 0xC2, k + 1 < b.count, b[k + 1] == 0xA0 { k += 2 }
            guard k + 6 <= b.count, b[k] == 0x28, b[k + 1...k + 4].allSatisfy(isDigit), b[k + 5] == 0x29 else { break }
            let year = String(decoding: b[k + 1...k + 4], as: UTF8.self)
            refs.append("resolution \(number) (\(year))")
            k += 6
            end = k
            // ", 2396 (2017)" or " and 2396 (2017)"
            if k < b.count, b[k] == 0x2C {
                j = k + 1
                continue
            }
            if k + 4 <= b.count, b[k] == 0x20, b[k + 1] == 0x61, b[k + 2] == 0x6E, b[k + 3] == 0x64 {
                j = k + 4
                continue
            }
            break
        }
        return (refs, end)
    }

    @inline(__always) static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
}
