/// Recognises section headings (`Keynote Address`, `Statements`, `Session I`) in
/// paragraph-per-line text.
///
/// A line is a heading when all of these hold:
///
/// * at most 6 words and 60 characters, with at least 3 letters, and no tab;
/// * it starts with an upper-case letter and does not start with a document symbol
///   (`A/PV.1859`, `A/70/PV.15 28/09/2015`: running headers of scanned records);
/// * its last word is not a function word (`that`, `the`, `of`, `and`, …): the line is not a
///   sentence cut by a line break;
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

    static let functionWords: Set<String> = [
        "a", "an", "the", "of", "and", "or", "but", "to", "that", "which", "who", "by", "in", "on", "at", "for",
        "with", "as", "from", "into", "is", "are", "was", "were", "be", "has", "have", "had", "not", "this", "these",
        "its", "our", "their", "my", "his", "her", "we", "it", "than", "if", "so",
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
        guard !line.contains("\t"), line.unicodeScalars.filter(\.properties.isAlphabetic).count >= 3,
            !SymbolScanner.isSymbol(line.prefix { $0 != " " })
        else { return false }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" })
        guard words.count <= maxWords, let firstWord = words.first, let lastWord = words.last else { return false }
        let folded = firstWord.lowercased().filter { $0 != "." && $0 != "," && $0 != "*" }
        return !addressWords.contains(folded) && (words.count == 1 || !functionWords.contains(lastWord.lowercased()))
    }
}
