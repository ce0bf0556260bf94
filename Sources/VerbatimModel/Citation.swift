/// Citation text, formatted the same way everywhere (docs/CITATIONS.md).
public enum Citation {
    /// `L/3282 ¶12`.
    public static func short(document: String, paragraph: Int) -> String {
        document + " \u{00B6}" + String(paragraph)
    }

    /// `L/3282 ¶¶3-5`, or the short form when the range holds one paragraph.
    public static func short(document: String, paragraphs: ClosedRange<Int>) -> String {
        if paragraphs.count == 1 { return short(document: document, paragraph: paragraphs.lowerBound) }
        return document + " \u{00B6}\u{00B6}" + String(paragraphs.lowerBound) + "-" + String(paragraphs.upperBound)
    }
}
