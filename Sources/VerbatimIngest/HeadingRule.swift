/// Recognises section headings (`Keynote Address`, `Statements`, `Session I`) in
/// paragraph-per-line text.
///
/// A line is a heading when all of these hold:
///
/// * at most 6 words and 60 characters, with at least one letter;
/// * it starts with an upper-case letter;
/// * its last character (ignoring Markdown `*`/`_`) is a letter, digit or `)` — not
///   . , ; : ! ? … or any quotation mark or dash;
/// * its first word is not a form of address (`Mr`, `Madam`, `Excellencies`, `Ladies`,
///   `Dear`, `Thank`, `Colleagues`, …): `Mr. President` is a paragraph;
/// * the next non-blank line is a paragraph: longer than 60 characters or ending with
///   . ! ? : ; or a closing quote (so neither a heading nor the end of the text).
enum HeadingRule {
    static let maxWords = 6
    static let maxLength = 60

    static let addressWords: Set<String> = [
        "mr", "mrs", "ms", "madam", "madame", "mister", "sir", "excellency", "excellencies", "your", "ladies",
        "dear", "distinguished", "thank", "thanks", "colleagues", "friends", "honourable", "honorable", "brothers",
        "sisters", "esteemed", "good", "hello", "president", "secretary-general",
    ]

    static func isHeading(_ line: Substring, next: Substring?) -> Bool {
        guard isHeadingShaped(line), let next, !next.isEmpty, !BodyLine.isFooter(next) else { return false }
        return BodyLine.scalarLength(next) > maxLength || BodyLine.endsSentence(next)
    }

    static func isHeadingShaped(_ line: Substring) -> Bool {
        guard BodyLine.scalarLength(line) <= maxLength else { return false }
        let scalars = line.unicodeScalars
        guard let first = scalars.first, first.properties.isUppercase else { return false }
        var last: Unicode.Scalar?
        for s in scalars.reversed() where s != "*" && s != "_" {
            last = s
            break
        }
        guard let last else { return false }
        guard last.properties.isAlphabetic || last.properties.numericType != nil || last == ")" else { return false }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" })
        guard words.count <= maxWords, let firstWord = words.first else { return false }
        let folded = firstWord.lowercased().filter { $0 != "." && $0 != "," && $0 != "*" }
        return !addressWords.contains(folded)
    }
}
