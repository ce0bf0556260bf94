import VerbatimModel

/// A word or a punctuation mark of a paragraph, as speaker attribution sees it.
///
/// Words are runs of letters, digits and combining marks; a hyphen variant or an
/// apostrophe between two letters stays inside the word (`Secretary‑General`, `D'Alva`).
/// Every other non-space scalar is a one-scalar punctuation token. `range` points into the
/// tokenised string, so the text as written (`text(in:)`) is always recoverable.
struct AttributionToken: Sendable {
    /// The token's scalars in the tokenised string.
    var range: Range<String.Index>
    /// The first scalar: the mark itself for punctuation.
    var first: Unicode.Scalar
    /// True for a word, false for a punctuation mark.
    var isWord: Bool
    /// Lower-cased, every dash variant `-`, every apostrophe variant `'` (diacritics kept).
    var folded: String
    /// The first scalar is an upper-case letter.
    var isCapitalised: Bool
    /// The word has at least one letter and no lower-case letter.
    var isAllCaps: Bool
    /// The number of letters.
    var letters: Int
    /// The word contains a digit.
    var hasDigit: Bool
    /// White space precedes the token.
    var spaceBefore: Bool

    /// The token as written.
    func text(in source: String) -> Substring { source[range] }

    /// True when the token is the punctuation mark `mark`.
    func isMark(_ mark: Unicode.Scalar) -> Bool { !isWord && first == mark }

    /// An opening double quotation mark (`“`, `"`, `„`, `«`).
    var isOpeningQuote: Bool {
        !isWord && (first == "\u{201C}" || first == "\"" || first == "\u{201E}" || first == "\u{00AB}")
    }

    /// A closing double quotation mark (`”`, `"`, `»`).
    var isClosingQuote: Bool {
        !isWord && (first == "\u{201D}" || first == "\"" || first == "\u{00BB}")
    }

    /// Splits `source[range]` into tokens. Cost: one pass over the scalars, with ASCII fast
    /// paths; one small string per word.
    static func tokenize(_ source: String, in range: Range<String.Index>? = nil) -> [AttributionToken] {
        let scalars = source.unicodeScalars
        var i = range?.lowerBound ?? scalars.startIndex
        let end = range?.upperBound ?? scalars.endIndex
        var tokens: [AttributionToken] = []
        var folded: [UInt8] = []
        folded.reserveCapacity(32)
        var sawSpace = false
        while i < end {
            let s = scalars[i]
            if isSpace(s) {
                sawSpace = true
                i = scalars.index(after: i)
                continue
            }
            guard isWordScalar(s) else {
                let next = scalars.index(after: i)
                tokens.append(
                    AttributionToken(
                        range: i..<next, first: s, isWord: false, folded: String(Character(s)), isCapitalised: false,
                        isAllCaps: false, letters: 0, hasDigit: false, spaceBefore: sawSpace))
                i = next
                sawSpace = false
                continue
            }
            let start = i
            folded.removeAll(keepingCapacity: true)
            var letters = 0
            var lower = false
            var digit = false
            while i < end {
                let c = scalars[i]
                let v = c.value
                if v < 0x80 {
                    if v >= 0x61 && v <= 0x7A {
                        letters += 1
                        lower = true
                        folded.append(UInt8(v))
                    } else if v >= 0x41 && v <= 0x5A {
                        letters += 1
                        folded.append(UInt8(v + 0x20))
                    } else if v >= 0x30 && v <= 0x39 {
                        digit = true
                        folded.append(UInt8(v))
                    } else if (v == 0x2D || v == 0x27) && joinsNext(scalars, i, end) && !folded.isEmpty {
                        folded.append(UInt8(v))
                    } else {
                        break
                    }
                } else if isWordScalar(c) {
                    if c.properties.isAlphabetic {
                        letters += 1
                        if c.properties.isLowercase { lower = true }
                    } else if c.properties.generalCategory == .decimalNumber {
                        digit = true
                    }
                    if c.properties.changesWhenLowercased {
                        for l in c.properties.lowercaseMapping.unicodeScalars { append(l, to: &folded) }
                    } else {
                        append(c, to: &folded)
                    }
                } else if isJoiner(c) && joinsNext(scalars, i, end) && !folded.isEmpty {
                    // A hyphen or apostrophe between word scalars stays in the word.
                    folded.append(Folding.dashes.contains(c) ? 0x2D : 0x27)
                } else {
                    break
                }
                i = scalars.index(after: i)
            }
            tokens.append(
                AttributionToken(
                    range: start..<i, first: s, isWord: true, folded: String(decoding: folded, as: UTF8.self),
                    isCapitalised: s.value < 0x80 ? (s.value >= 0x41 && s.value <= 0x5A) : s.properties.isUppercase,
                    isAllCaps: letters > 0 && !lower, letters: letters,
                    hasDigit: digit, spaceBefore: sawSpace))
            sawSpace = false
        }
        return tokens
    }

    @inline(__always)
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return s.properties.isWhitespace
    }

    /// A letter follows the joiner at `i`.
    @inline(__always)
    static func joinsNext(_ scalars: String.UnicodeScalarView, _ i: String.Index, _ end: String.Index) -> Bool {
        let next = scalars.index(after: i)
        guard next < end else { return false }
        let n = scalars[next]
        if n.value < 0x80 { return (n.value | 0x20) >= 0x61 && (n.value | 0x20) <= 0x7A }
        return n.properties.isAlphabetic
    }

    @inline(__always)
    static func append(_ s: Unicode.Scalar, to bytes: inout [UInt8]) {
        UTF8.encode(s) { bytes.append($0) }
    }

    @inline(__always)
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
        }
        if s.properties.isAlphabetic { return true }
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber: return true
        default: return false
        }
    }

    /// Hyphen variants (not the spaced en and em dashes) and apostrophes.
    @inline(__always)
    static func isJoiner(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "-", "\u{2010}", "\u{2011}", "\u{00AD}", "'", "\u{2019}", "\u{02BC}": return true
        default: return false
        }
    }
}
