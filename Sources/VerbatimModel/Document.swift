/// A parsed document: header metadata, body paragraphs and the speakers they report.
public struct Document: Hashable, Sendable {
    /// The stable key that addresses the document: its symbol when it has one, else a
    /// key given at ingest or derived from the file name.
    public var key: String
    /// The document symbol (`L/3282`, `SG/SM/21806`, `S/PV.8728`), if any.
    public var symbol: String?
    public var title: String?
    public var date: DocumentDate?
    /// The place of the dateline (`New York`).
    public var place: String?
    public var kind: DocumentKind
    /// Header lines that are neither title, symbol nor date (`AM & PM Meetings`, `Press Release`).
    public var headerLines: [String]
    /// Section headings in order (`Keynote Address`, `Statements`, `Session I`).
    public var headings: [String]
    public var paragraphs: [Paragraph]
    /// The speakers that `Paragraph.speaker` indexes.
    public var speakers: [Speaker]

    public init(
        key: String, symbol: String? = nil, title: String? = nil, date: DocumentDate? = nil, place: String? = nil,
        kind: DocumentKind = .other, headerLines: [String] = [], headings: [String] = [], paragraphs: [Paragraph] = [],
        speakers: [Speaker] = []
    ) {
        self.key = key
        self.symbol = symbol
        self.title = title
        self.date = date
        self.place = place
        self.kind = kind
        self.headerLines = headerLines
        self.headings = headings
        self.paragraphs = paragraphs
        self.speakers = speakers
    }

    /// The speaker of paragraph `number` (1-based), if any.
    public func speaker(ofParagraph number: Int) -> Speaker? {
        guard number >= 1, number <= paragraphs.count, let i = paragraphs[number - 1].speaker else { return nil }
        return speakers[i]
    }

    /// The canonical short citation of a paragraph: `L/3282 ¶12` (the key when there is no symbol).
    public func shortCitation(paragraph number: Int) -> String {
        Citation.short(document: symbol ?? key, paragraph: number)
    }
}
