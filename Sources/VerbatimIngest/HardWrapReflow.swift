/// Rebuilds paragraphs from hard-wrapped (PDF) text.
///
/// Blank lines and page numbers alone on a line are dropped: in this text they mark page
/// breaks, not paragraph ends. The usual width `W` is the 80th percentile of the remaining
/// lines' lengths (in Unicode scalars). A paragraph ends after line `a`, before line `b`, when
///
/// * `a` ends with . ! ? : ; or a closing quotation mark, and
/// * `b` starts with an upper-case letter, a digit or an opening quotation mark, and
/// * either `a` is clearly short (`length(a) < 0.8 × W`), or `b`'s first word would have fit
///   on `a` (`length(a) + 1 + length(first word of b) ≤ W`), or `b` starts with a printed
///   paragraph number (`35. `).
///
/// Lines of a paragraph are joined with one space, except that a line ending in `-` after a
/// letter joins the next with no space, keeping the hyphen (`land-` + `mines` → `land-mines`).
enum HardWrapReflow {
    static func paragraphs(_ lines: [Substring]) -> [String] {
        let content = lines.filter { !$0.isEmpty && !BodyLine.isPageNumber($0) }
        guard !content.isEmpty else { return [] }
        let lengths = content.map(BodyLine.scalarLength)
        let sorted = lengths.sorted()
        let width = sorted[min(sorted.count - 1, sorted.count * 8 / 10)]
        var result: [String] = []
        var current = String(content[0])
        for k in 1..<content.count {
            let a = content[k - 1]
            let b = content[k]
            if breaks(after: a, length: lengths[k - 1], before: b, width: width) {
                result.append(current)
                current = String(b)
            } else {
                if endsWithWordHyphen(a) {
                    current += b
                } else {
                    current += " "
                    current += b
                }
            }
        }
        result.append(current)
        return result
    }

    static func breaks(after a: Substring, length: Int, before b: Substring, width: Int) -> Bool {
        guard BodyLine.endsSentence(a), BodyLine.startsParagraphLike(b) else { return false }
        if BodyLine.sourceNumber(b) != nil { return true }
        if Double(length) < 0.8 * Double(width) { return true }
        return length + 1 + firstWordLength(b) <= width
    }

    static func firstWordLength(_ line: Substring) -> Int {
        var n = 0
        for u in line.utf8 {
            if u == 0x20 { break }
            if u & 0xC0 != 0x80 { n += 1 }
        }
        return n
    }

    static func endsWithWordHyphen(_ line: Substring) -> Bool {
        let s = line.unicodeScalars
        guard s.last == "-" else { return false }
        let before = s.index(before: s.endIndex)
        guard before != s.startIndex else { return false }
        return s[s.index(before: before)].properties.isAlphabetic
    }
}
