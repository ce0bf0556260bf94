import Foundation

/// A reference to a document, one of its paragraphs or a range of them (docs/CITATIONS.md).
///
/// The grammar, symbols and keys matched case-insensitively:
///
/// ```
/// reference := document [ locator ]
/// locator   := ws* ("¶" | "¶¶") ws* range            L/3282 ¶12, L/3282 ¶¶3-5
///            | ws+ ("para" | "para." | "paras" | "paras." | "paragraph" | "paragraphs") ws* range
///            | ws* "#" ws* range                       L/3282#12, L/3282#3-5
/// range     := number [ ws* dash ws* number ]          any dash: - ‐ ‑ ‒ – — ―  −
/// document  := a symbol or key (`L/3282`, `UNGDC:USA_78_2023`, `S/PV.8699 (Resumption 1)`)
/// ```
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    /// The document's symbol or key as written (trimmed, inner white space runs made one space).
    public var document: String
    /// The paragraphs referred to; `nil` for the whole document.
    public var paragraphs: ClosedRange<Int>?

    public init(document: String, paragraphs: ClosedRange<Int>? = nil) {
        self.document = document
        self.paragraphs = paragraphs
    }

    /// Parses a reference in the grammar above.
    /// - Throws: `ReferenceError` saying what is wrong and where.
    public init(parsing text: some StringProtocol) throws(ReferenceError) {
        self = try ReferenceParser.parse(String(text))
    }

    /// The canonical short form: `L/3282`, `L/3282 ¶12`, `L/3282 ¶¶3-5`.
    public var description: String {
        guard let paragraphs else { return document }
        return Citation.short(document: document, paragraphs: paragraphs)
    }
}

/// Why a reference could not be parsed: a code for programs and one line for people.
public struct ReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        /// Nothing was given.
        public static let empty = Code(rawValue: "empty")
        /// A locator without a document (`¶12`).
        public static let missingDocument = Code(rawValue: "missing-document")
        /// The paragraph part is not a number or a range of numbers.
        public static let badParagraph = Code(rawValue: "bad-paragraph")
        /// Paragraph 0: numbering starts at 1.
        public static let paragraphZero = Code(rawValue: "paragraph-zero")
        /// `5-3`.
        public static let reversedRange = Code(rawValue: "reversed-range")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

package enum ReferenceParser {
    static let locatorWords = ["paragraphs", "paragraph", "paras.", "paras", "para.", "para"]

    static func parse(_ input: String) throws(ReferenceError) -> Reference {
        let text = collapse(input)
        guard !text.isEmpty else { throw ReferenceError(.empty, "empty reference") }
        // `#`: the last one separates the document from the paragraphs.
        if let hash = text.lastIndex(of: "#") {
            let doc = collapse(text[..<hash])
            return try make(doc, text[text.index(after: hash)...], whole: input)
        }
        // `¶` or `¶¶`.
        if let mark = text.firstIndex(of: "\u{00B6}") {
            var rest = text[mark...]
            while rest.first == "\u{00B6}" { rest.removeFirst() }
            return try make(collapse(text[..<mark]), rest, whole: input)
        }
        // ` para 12`, ` paragraphs 3-5`: the last white-space-separated word that is a locator word.
        let lower = text.lowercased()
        for word in locatorWords {
            var search = lower.endIndex
            while let r = lower.range(of: " " + word, options: .backwards, range: lower.startIndex..<search) {
                search = r.lowerBound
                let after = r.upperBound
                // The word must be followed by white space or a digit.
                if after < lower.endIndex, let c = lower[after].unicodeScalars.first,
                    !(c == " " || ("0"..."9").contains(c))
                {
                    continue
                }
                let offset = lower.distance(from: lower.startIndex, to: r.lowerBound)
                let end = lower.distance(from: lower.startIndex, to: after)
                let doc = String(text.prefix(offset))
                let rest = text.dropFirst(end)
                return try make(collapse(doc), rest, whole: input)
            }
        }
        return Reference(document: text, paragraphs: nil)
    }

    private static func make(_ document: String, _ locator: Substring, whole: String) throws(ReferenceError) -> Reference {
        guard !document.isEmpty else {
            throw ReferenceError(.missingDocument, "no document before the paragraph in \"\(collapse(whole))\"")
        }
        return Reference(document: document, paragraphs: try range(locator, whole: whole))
    }

    /// `12`, `3-5`, `3 – 5`.
    static func range(_ text: Substring, whole: String) throws(ReferenceError) -> ClosedRange<Int> {
        let t = collapse(text)
        var numbers: [Int] = []
        var current = ""
        var sawDash = false
        func bad() -> ReferenceError {
            ReferenceError(
                .badParagraph,
                t.isEmpty
                    ? "no paragraph number after the document in \"\(collapse(whole))\""
                    : "\"\(t)\" is not a paragraph number or a range like 3-5 in \"\(collapse(whole))\"")
        }
        for s in t.unicodeScalars {
            if ("0"..."9").contains(s) {
                current.unicodeScalars.append(s)
            } else if Folding.dashes.contains(s) {
                guard !sawDash, !current.isEmpty else { throw bad() }
                sawDash = true
                numbers.append(Int(current) ?? Int.max)
                current = ""
            } else if s == " " {
                continue
            } else {
                throw bad()
            }
        }
        guard !current.isEmpty else { throw bad() }
        numbers.append(Int(current) ?? Int.max)
        guard numbers.allSatisfy({ $0 < Int(Int32.max) }) else { throw bad() }
        let lo = numbers[0]
        let hi = numbers.last!
        guard lo >= 1, hi >= 1 else {
            throw ReferenceError(.paragraphZero, "paragraph numbers start at 1, not 0")
        }
        guard lo <= hi else { throw ReferenceError(.reversedRange, "range \(lo)-\(hi) is reversed") }
        return lo...hi
    }

    /// Trims and makes every run of white space (including U+00A0) one space.
    package static func collapse(_ s: some StringProtocol) -> String {
        // Most references are ASCII: their white space is a few bytes, no scalar properties.
        var string = String(s)
        if let ascii = Folding.asciiText(&string, dotIsSpace: false, fold: false) { return ascii }
        var out = String.UnicodeScalarView()
        var pending = false
        for u in s.unicodeScalars {
            if u.properties.isWhitespace {
                pending = true
                continue
            }
            if pending && !out.isEmpty { out.append(" ") }
            pending = false
            out.append(u)
        }
        return String(out)
    }
}
