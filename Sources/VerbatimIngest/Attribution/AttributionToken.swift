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

    /// Splits `source[range]` into tokens. Cost: one pass over the scalars.
    static func tokenize(_ source: String, in range: Range<String.Index>? = nil) -> [AttributionToken] {
        let scalars = source.unicodeScalars
        var i = range?.lowerBound ?? scalars.startIndex
        let end = range?.upperBound ?? scalars.endIndex
        var tokens: [AttributionToken] = []
        var sawSpace = false
        while i < end {
            let s = scalars[i]
            if s.properties.isWhitespace {
                sawSpace = true
                i = scalars.index(after: i)
                continue
            }
            if isWordScalar(s) {
                let start = i
                var folded = String.UnicodeScalarView()
                var letters = 0
                var lower = false
                var digit = false
                while i < end {
                    var c = scalars[i]
                    if !isWordScalar(c) {
                        // A hyphen or apostrophe between word scalars stays in the word.
                        guard isJoiner(c) else { break }
                        let next = scalars.index(after: i)
                        guard next < end, scalars[next].properties.isAlphabetic, !folded.isEmpty else { break }
                        c = Folding.dashes.contains(c) ? "-" : "'"
                        folded.append(c)
                        i = next
                        continue
                    }
                    if c.properties.isAlphabetic {
                        letters += 1
                        if c.properties.isLowercase { lower = true }
                    } else if c.value >= 0x30 && c.value <= 0x39 {
                        digit = true
                    }
                    if c.properties.changesWhenLowercased {
                        folded.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
                    } else {
                        folded.append(c)
                    }
                    i = scalars.index(after: i)
                }
                tokens.append(
                    AttributionToken(
                        range: start..<i, first: s, isWord: true, folded: String(folded),
                        isCapitalised: s.properties.isUppercase, isAllCaps: letters > 0 && !lower, letters: letters,
                        hasDigit: digit, spaceBefore: sawSpace))
            } else {
                let next = scalars.index(after: i)
                tokens.append(
                    AttributionToken(
                        range: i..<next, first: s, isWord: false, folded: String(Character(s)), isCapitalised: false,
                        isAllCaps: false, letters: 0, hasDigit: false, spaceBefore: sawSpace))
                i = next
            }
            sawSpace = false
        }
        return tokens
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
