import VerbatimModel

/// Small documents built in code, for tests that must not depend on the parser.
public enum Fixtures {
    public static let guterres = Speaker(
        name: "António Guterres", role: "Secretary-General of the United Nations",
        aliases: ["ANTÓNIO GUTERRES", "Mr. Guterres"])
    public static let bahous = Speaker(name: "Sima Bahous", role: "Co-Facilitator", affiliation: "Jordan", aliases: ["SIMA BAHOUS"])

    /// A meeting-coverage document: key = symbol, `paragraphs` texts, speakers assigned by `speakerOf`.
    public static func document(
        symbol: String = "L/9001", date: DocumentDate? = DocumentDate(year: 2018, month: 6, day: 28),
        paragraphs: [String], speakers: [Speaker] = [guterres, bahous], speakerOf: (Int) -> Int? = { $0 % 2 == 1 ? 0 : 1 },
        cited: [Int: [String]] = [:]
    ) -> Document {
        Document(
            key: symbol, symbol: symbol, title: "Sample meeting \(symbol)", date: date, kind: .meetingCoverage,
            headings: ["Statements"],
            paragraphs: paragraphs.enumerated().map { i, text in
                let n = i + 1
                return Paragraph(
                    number: n, text: text, heading: n > 1 ? "Statements" : nil, speaker: speakerOf(n),
                    attribution: speakerOf(n) == nil ? .none : .statement, citedSymbols: cited[n] ?? [])
            },
            speakers: speakers)
    }
}
