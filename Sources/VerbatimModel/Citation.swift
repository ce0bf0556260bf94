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

extension Citation {
    /// The long citation of a paragraph or range, the one format used by the store, the
    /// CLI and the daemon (docs/CITATIONS.md):
    ///
    /// `António Guterres, Secretary-General of the United Nations — “Title”, L/3282, 28 June 2018, ¶12`
    ///
    /// The speaker part is `Name, Role (Affiliation) — `, each piece present only when
    /// known (the role is left out when it is the name, as for a role-only speaker); the
    /// title is quoted; the document is its symbol, else its key; the date is written out
    /// as far as it is known (`2018`, `June 2018`, `28 June 2018`).
    public static func long(
        document: String, title: String?, date: DocumentDate?, paragraphs: ClosedRange<Int>?, speaker: Speaker?
    ) -> String {
        var parts: [String] = []
        if let title = title?.trimmingWhitespace(), !title.isEmpty { parts.append("\u{201C}" + title + "\u{201D}") }
        parts.append(document)
        if let date { parts.append(longDate(date)) }
        if let paragraphs {
            parts.append(
                paragraphs.count == 1
                    ? "\u{00B6}" + String(paragraphs.lowerBound)
                    : "\u{00B6}\u{00B6}" + String(paragraphs.lowerBound) + "-" + String(paragraphs.upperBound))
        }
        let body = parts.joined(separator: ", ")
        guard let speaker, !speaker.name.isEmpty else { return body }
        var who = speaker.name
        if let role = speaker.role?.trimmingWhitespace(), !role.isEmpty, Folding.name(role) != Folding.name(speaker.name) {
            who += ", " + role
        }
        if let aff = speaker.affiliation?.trimmingWhitespace(), !aff.isEmpty { who += " (" + aff + ")" }
        return who + " \u{2014} " + body
    }

    /// `28 June 2018`, `June 2018`, `2018`.
    public static func longDate(_ date: DocumentDate) -> String {
        guard let m = date.month else { return String(date.year) }
        let month = DocumentDate.monthNames[m - 1]
        let name = month.prefix(1).uppercased() + month.dropFirst()
        guard let d = date.day else { return name + " " + String(date.year) }
        return String(d) + " " + name + " " + String(date.year)
    }
}
