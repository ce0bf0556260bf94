/// Splits text into lines and trims them, without copying.
///
/// A line ends at LF, CRLF or a lone CR; "\n\r" therefore ends a line and adds one empty
/// line, which every layout treats as blank. White space (including U+00A0 and the other
/// Unicode spaces) is trimmed from both ends of each line; nothing else is changed.
enum SourceLines {
    static func split(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let u = text.utf8
        var start = u.startIndex
        var i = u.startIndex
        let end = u.endIndex
        while i != end {
            let b = u[i]
            if b == 0x0A || b == 0x0D {
                lines.append(trim(text[start..<i]))
                var next = u.index(after: i)
                if b == 0x0D, next != end, u[next] == 0x0A { next = u.index(after: next) }
                start = next
                i = next
            } else {
                i = u.index(after: i)
            }
        }
        if start != end { lines.append(trim(text[start..<end])) }
        return lines
    }

    /// The line without leading and trailing white space.
    static func trim(_ line: Substring) -> Substring {
        let u = line.utf8
        var lo = u.startIndex
        var hi = u.endIndex
        while lo != hi {
            let n = whitespaceLength(u, at: lo, end: hi)
            if n == 0 { break }
            lo = u.index(lo, offsetBy: n)
        }
        while lo != hi {
            let n = trailingWhitespaceLength(u, before: hi, start: lo)
            if n == 0 { break }
            hi = u.index(hi, offsetBy: -n)
        }
        return line[lo..<hi]
    }

    /// Length in bytes of the white space scalar starting at `i`, or 0.
    @inline(__always)
    static func whitespaceLength(_ u: Substring.UTF8View, at i: Substring.Index, end: Substring.Index) -> Int {
        let b0 = u[i]
        if b0 == 0x20 || b0 == 0x09 || b0 == 0x0B || b0 == 0x0C { return 1 }
        if b0 < 0xC2 { return 0 }
        let i1 = u.index(after: i)
        guard i1 != end else { return 0 }
        let b1 = u[i1]
        if b0 == 0xC2 { return b1 == 0xA0 ? 2 : 0 }
        guard b0 == 0xE2 || b0 == 0xE3 || b0 == 0xEF else { return 0 }
        let i2 = u.index(after: i1)
        guard i2 != end else { return 0 }
        return isWide(b0, b1, u[i2]) ? 3 : 0
    }

    /// Length in bytes of the white space scalar ending just before `i`, or 0.
    @inline(__always)
    static func trailingWhitespaceLength(_ u: Substring.UTF8View, before i: Substring.Index, start: Substring.Index)
        -> Int
    {
        let i1 = u.index(before: i)
        let b = u[i1]
        if b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C { return 1 }
        guard b >= 0x80, i1 != start else { return 0 }
        let i2 = u.index(before: i1)
        let a = u[i2]
        if a == 0xC2 && b == 0xA0 { return 2 }
        guard i2 != start else { return 0 }
        let z = u[u.index(before: i2)]
        return isWide(z, a, b) ? 3 : 0
    }

    /// U+2000–U+200A, U+202F, U+205F, U+3000 and U+FEFF (a stray byte order mark).
    @inline(__always)
    static func isWide(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        if b0 == 0xE2 && b1 == 0x80 { return b2 <= 0x8A || b2 == 0xAF }
        if b0 == 0xE2 && b1 == 0x81 { return b2 == 0x9F }
        if b0 == 0xE3 && b1 == 0x80 { return b2 == 0x80 }
        if b0 == 0xEF && b1 == 0xBB { return b2 == 0xBF }
        return false
    }
}
