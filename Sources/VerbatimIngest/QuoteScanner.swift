/// Finds quoted passages in a paragraph.
///
/// A passage runs from an opening “ to the matching ” (nested pairs are inside the outer
/// passage and not reported again). Straight double quotes `"` pair up in order when the
/// paragraph holds an even number of them. An opening mark with no closing mark in the
/// same paragraph (a quotation continued in the next paragraph) yields nothing.
/// Ranges are Unicode scalar offsets into the text, the marks excluded; empty ones are dropped.
enum QuoteScanner {
    static func quotes(in text: Substring) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { ranges = scan($0) }
        if done == nil { ranges = Array(text.utf8).withUnsafeBufferPointer { scan($0) } }
        return ranges
    }

    static func scan(_ b: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var curly: [Range<Int>] = []
        var straight: [Range<Int>] = []
        var depth = 0
        var openAt = 0
        var straightOpen: Int?
        var straightCount = 0
        var scalar = 0  // scalar offset of b[i]
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c == 0x22 {
                straightCount += 1
                if let o = straightOpen {
                    if scalar > o { straight.append(o..<scalar) }
                    straightOpen = nil
                } else {
                    straightOpen = scalar + 1
                }
            } else if c == 0xE2, i + 2 < n, b[i + 1] == 0x80 {
                if b[i + 2] == 0x9C {  // “
                    if depth == 0 { openAt = scalar + 1 }
                    depth += 1
                } else if b[i + 2] == 0x9D, depth > 0 {  // ”
                    depth -= 1
                    if depth == 0, scalar > openAt { curly.append(openAt..<scalar) }
                }
            }
            if c & 0xC0 != 0x80 { scalar += 1 }
            i += 1
        }
        if straightCount % 2 != 0 || straight.isEmpty { return curly }
        // Keep straight-quoted passages that do not overlap a curly one.
        let extra = straight.filter { s in !curly.contains { $0.overlaps(s) } }
        return (curly + extra).sorted { $0.lowerBound < $1.lowerBound }
    }
}
