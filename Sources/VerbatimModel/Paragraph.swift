/// One body paragraph of a document, numbered from 1 in reading order.
public struct Paragraph: Hashable, Sendable {
    /// 1-based position among the document's body paragraphs (docs/CITATIONS.md).
    public var number: Int
    /// The source text: NFC, white space trimmed at both ends of each source line, otherwise as written.
    public var text: String
    /// The nearest section heading above the paragraph, if any.
    public var heading: String?
    /// Index into `Document.speakers` of the speaker whose words the paragraph reports.
    public var speaker: Int?
    /// How the speaker was recognised.
    public var attribution: Attribution
    /// Quoted passages, as ranges of Unicode scalar offsets into `text` (the marks excluded).
    public var quotes: [Range<Int>]
    /// Document symbols the paragraph mentions, in order of first mention, as written
    /// with dashes unified (`GA/12035`, `A/RES/70/1`, `resolution 2374 (2017)`).
    public var citedSymbols: [String]
    /// The paragraph number printed in the source (`34.` in some records), if any.
    public var sourceNumber: Int?

    public init(
        number: Int, text: String, heading: String? = nil, speaker: Int? = nil, attribution: Attribution = .none,
        quotes: [Range<Int>] = [], citedSymbols: [String] = [], sourceNumber: Int? = nil
    ) {
        self.number = number
        self.text = text
        self.heading = heading
        self.speaker = speaker
        self.attribution = attribution
        self.quotes = quotes
        self.citedSymbols = citedSymbols
        self.sourceNumber = sourceNumber
    }

    /// How a paragraph's speaker was found.
    public struct Attribution: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// No speaker: narration, a footer, a procedural note.
        public static let none = Attribution(rawValue: "none")
        /// The paragraph opens a statement (`ANTÓNIO GUTERRES, …, said`, `Mr. Nebenzia (…):`).
        public static let statement = Attribution(rawValue: "statement")
        /// It continues the previous speaker's statement (`…, he said.`, `she continued.`).
        public static let continuation = Attribution(rawValue: "continuation")
        /// Reported speech in a summary (`… António Guterres said in his keynote address`).
        public static let reported = Attribution(rawValue: "reported")
        /// The whole document is one speaker's (title, `Following are … remarks`, metadata).
        public static let document = Attribution(rawValue: "document")
    }
}
