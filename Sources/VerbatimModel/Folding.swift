import Foundation

/// The normalised forms used for matching (DESIGN.md §2). Stored text is never folded;
/// these forms are only compared and indexed.
///
/// - `text`: case-folded; every dash or hyphen variant is `-`; every quotation mark or
///   apostrophe variant is `'`; runs of white space (including U+00A0) are one space;
///   no leading or trailing space. Diacritics are kept.
/// - `name`: `text`, then diacritics removed and full stops dropped (`Mr. António` → `mr antonio`).
/// - `symbol`: upper-cased, dashes unified, spaces removed around `/`, runs of spaces one space.
public enum Folding {
    /// Characters treated as a dash or hyphen.
    public static let dashes: Set<Unicode.Scalar> = [
        "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{FE63}", "\u{FF0D}",
        "\u{00AD}",
    ]
    /// Characters treated as a quotation mark or apostrophe.
    public static let quotes: Set<Unicode.Scalar> = [
        "\"", "'", "`", "\u{00B4}", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\u{201C}", "\u{201D}", "\u{201E}",
        "\u{201F}", "\u{2032}", "\u{2033}", "\u{00AB}", "\u{00BB}", "\u{2039}", "\u{203A}", "\u{FF02}", "\u{FF07}",
    ]

    /// Maps one scalar of already-NFC text to its folded form: `nil` for white space,
    /// `-` for dashes, `'` for quotes, otherwise the lower-cased scalars.
    @inlinable
    public static func foldScalar(_ s: Unicode.Scalar, into out: inout String.UnicodeScalarView) -> Bool {
        let v = s.value
        if v < 0x80 {
            if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D || v == 0x0B || v == 0x0C { return false }
            if v >= 0x41 && v <= 0x5A { out.append(Unicode.Scalar(v + 0x20)!); return true }
            if v == 0x22 || v == 0x27 || v == 0x60 { out.append("'"); return true }
            out.append(s)
            return true
        }
        if s.properties.isWhitespace { return false }
        if dashes.contains(s) { out.append("-"); return true }
        if quotes.contains(s) { out.append("'"); return true }
        if s.properties.changesWhenLowercased {
            out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
        } else {
            out.append(s)
        }
        return true
    }

    /// The matching form of running text (see the type's documentation).
    public static func text(_ input: some StringProtocol) -> String {
        var input = String(input)
        return asciiText(&input, dotIsSpace: false) ?? scalarText(input)
    }

    /// `text`, scalar by scalar, for any input.
    static func scalarText(_ input: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in String(input).precomposed.unicodeScalars {
            var probe = String.UnicodeScalarView()
            if foldScalar(s, into: &probe) {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(contentsOf: probe)
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }

    /// The matching form of a person's name or alias: `text` without diacritics or full stops.
    public static func name(_ input: some StringProtocol) -> String {
        var input = String(input)
        return asciiText(&input, dotIsSpace: true) ?? scalarName(input)
    }

    /// `name`, through Foundation's diacritic folding, for any input.
    static func scalarName(_ input: some StringProtocol) -> String {
        let stripped = String(input).folding(options: [.diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: ".", with: " ")
        return text(stripped)
    }

    /// `text` of an ASCII string (`name` with `dotIsSpace`: ASCII has no diacritics, and
    /// full stops become spaces), byte by byte into the result's storage; nil when the
    /// input is not all ASCII. Same rules as `foldScalar`: White_Space is U+0009–U+000D
    /// and U+0020, `"` and `` ` `` become `'`, and only `A`–`Z` change case. Without `fold`,
    /// only the white space is collapsed (`ReferenceParser.collapse`).
    static func asciiText(_ input: inout String, dotIsSpace: Bool, fold: Bool = true) -> String? {
        var ascii = true
        let folded = input.withUTF8 { utf8 in
            // Never longer than the input: a space is written only for white space skipped.
            String(unsafeUninitializedCapacity: utf8.count) { out in
                var n = 0
                var pendingSpace = false
                for b in utf8 {
                    guard b < 0x80 else {
                        ascii = false
                        return 0
                    }
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) || (dotIsSpace && b == UInt8(ascii: ".")) {
                        pendingSpace = true
                        continue
                    }
                    if pendingSpace && n > 0 {
                        out[n] = 0x20
                        n += 1
                    }
                    pendingSpace = false
                    out[n] = !fold ? b : b >= 0x41 && b <= 0x5A ? b + 0x20 : b == 0x22 || b == 0x60 ? 0x27 : b
                    n += 1
                }
                return n
            }
        }
        return ascii ? folded : nil
    }

    /// The matching form of a document symbol or key: case-insensitive, dash variants and
    /// spacing around `/` ignored.
    public static func symbol(_ input: some StringProtocol) -> String {
        symbol(String(input))
    }

    /// `symbol` of a `String`: ASCII input (keys and symbols nearly always are) is folded
    /// byte by byte into the result's storage, with one allocation.
    public static func symbol(_ input: String) -> String {
        var input = input
        var ascii = true
        let folded = input.withUTF8 { utf8 in
            String(unsafeUninitializedCapacity: utf8.count) { out in
                guard let n = asciiSymbol(UnsafeRawBufferPointer(utf8), into: UnsafeMutableRawBufferPointer(out)) else {
                    ascii = false
                    return 0
                }
                return n
            }
        }
        return ascii ? folded : scalarSymbol(input)
    }

    /// `symbol`, scalar by scalar, for any input.
    static func scalarSymbol(_ input: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in String(input).precomposed.unicodeScalars {
            if s.properties.isWhitespace { pendingSpace = true; continue }
            if s == "/" { pendingSpace = false; out.append(s); continue }
            if pendingSpace && !out.isEmpty && out.last != "/" { out.append(" ") }
            pendingSpace = false
            if dashes.contains(s) { out.append("-"); continue }
            out.append(contentsOf: s.properties.uppercaseMapping.unicodeScalars)
        }
        return String(out)
    }

    /// `symbol` of UTF-8 `bytes` that are all ASCII, written into `out` (at least
    /// `bytes.count` long: folding never lengthens) without allocating. Same rules as the
    /// scalar path: White_Space is U+0009–U+000D and U+0020, the only ASCII dash is `-`,
    /// and only `a`–`z` change case.
    /// - Returns: the folded length, or nil when a byte is not ASCII (use `symbol(_:)`).
    public static func asciiSymbol(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int? {
        precondition(out.count >= bytes.count, "asciiSymbol: output shorter than input")
        var n = 0
        var pendingSpace = false
        for b in bytes {
            guard b < 0x80 else { return nil }
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) { pendingSpace = true; continue }
            if b == UInt8(ascii: "/") {
                pendingSpace = false
            } else if pendingSpace {
                if n > 0 && out[n - 1] != UInt8(ascii: "/") {
                    out[n] = 0x20
                    n += 1
                }
                pendingSpace = false
            }
            out[n] = b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 0x20 : b
            n += 1
        }
        return n
    }
}

extension String {
    /// The text in Unicode Normalization Form C. Costs one scan when the text has no
    /// scalar at or above U+0300 (the common case), since such text is already NFC.
    public var precomposed: String {
        var needs = false
        for u in utf8 where u >= 0xCC {
            // A lead byte of U+0300 or above.
            needs = true
            break
        }
        return needs ? precomposedStringWithCanonicalMapping : self
    }
}
